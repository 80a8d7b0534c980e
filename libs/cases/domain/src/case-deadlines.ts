import type { CaseSnapshot, DeadlineKind } from './case-state';

/*
 * Due instants are computed by the lifecycle deadlines of @ecc/legal-domain (statementWindowEnd,
 * serviceDeadline, ...), which apply 行政处罚法 Art. 85 (its 3/5/7-day periods are working days) and move a
 * party's period off a holiday (民法典 Art. 203). Here they are only kept, stopped and listed.
 */

export interface DeadlineInfo {
  title: string;
  /** Whose period it is: the party's (a right or a duty of the party) or the bureau's duty. */
  owner: 'party' | 'authority';
  /** A right of the party that simply ends (statement, hearing request); the others go overdue. */
  lapses: boolean;
  article: string;
}

export const DEADLINE_INFO: Readonly<Record<DeadlineKind, DeadlineInfo>> = {
  decision_due: {
    title: '作出处罚决定期限（立案后90日）',
    owner: 'authority',
    lapses: false,
    article: '行政处罚法 Art. 60',
  },
  statement_window: {
    title: '陈述申辩期限',
    owner: 'party',
    lapses: true,
    article: '行政处罚法 Art. 44, 45, 85 (policy: statementDays, working days)',
  },
  hearing_request_window: {
    title: '听证申请期限（告知后5个工作日）',
    owner: 'party',
    lapses: true,
    article: '行政处罚法 Art. 64(1), 85',
  },
  service_due: {
    title: '决定书送达期限（决定后7个工作日）',
    owner: 'authority',
    lapses: false,
    article: '行政处罚法 Art. 61, 85',
  },
  payment_due: {
    title: '缴纳罚款期限（送达后15日，末日遇节假日顺延）',
    owner: 'party',
    lapses: false,
    article: '行政处罚法 Art. 67; 民法典 Art. 203',
  },
  home_authority_report_due: {
    title: '抄告车籍地期限（结案后7个工作日）',
    owner: 'authority',
    lapses: false,
    article: '《超限运输车辆行驶公路管理规定》 Art. 44',
  },
  publicity_due: {
    title: '处罚决定公示期限（工作日）',
    owner: 'authority',
    lapses: false,
    article: '行政处罚法 Art. 48 (policy: publicityWorkingDays)',
  },
  correction_period: {
    title: '责令限期改正期限（货运源头单位）',
    owner: 'party',
    lapses: false,
    article: '《湖南省治理货物运输车辆超限超载条例》 Art. 30 (policy: sourceUnitCorrection)',
  },
};

export interface RunningDeadline {
  kind: DeadlineKind;
  title: string;
  owner: 'party' | 'authority';
  lapses: boolean;
  article: string;
  startedAt: Date;
  dueAt: Date;
  /** Only when `now` is given, for a deadline that does not lapse: past its due instant. */
  overdue?: boolean;
}

/**
 * The deadlines running on a case: started and not stopped. With `now`, a party's window that has ended
 * is left out (it lapses by itself; the periodic sweep records it), and the others carry `overdue`.
 */
export function runningDeadlines(snapshot: CaseSnapshot, now?: Date): RunningDeadline[] {
  return snapshot.deadlines
    .filter((d) => d.stoppedAt === undefined)
    .filter((d) => !(now && DEADLINE_INFO[d.kind].lapses && d.dueAt.getTime() < now.getTime()))
    .map((d) => ({
      kind: d.kind,
      ...DEADLINE_INFO[d.kind],
      startedAt: d.startedAt,
      dueAt: d.dueAt,
      ...(now && !DEADLINE_INFO[d.kind].lapses ? { overdue: d.dueAt.getTime() < now.getTime() } : {}),
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The kinds whose record is started and not stopped (whatever the time). */
export function openDeadlineKinds(snapshot: CaseSnapshot): Set<DeadlineKind> {
  return new Set(snapshot.deadlines.filter((d) => d.stoppedAt === undefined).map((d) => d.kind));
}

/** How a deadline of the case ended, or that it still runs. */
export type DeadlineEnd = 'running' | 'met' | 'waived_in_writing' | 'withdrawn' | 'lapsed' | 'missed';

export interface DeadlineHistoryEntry extends Omit<RunningDeadline, 'overdue'> {
  stoppedAt: Date | null;
  /** The action that ended it. */
  stoppedBy: string | null;
  status: DeadlineEnd;
}

/** Actions that end a period because the party gave it up in writing (行政处罚法 Art. 44, 45, 64). */
const WAIVING = new Set(['record_waiver']);
/**
 * Actions that take a period away: a new notice supersedes the old one's windows, reopening the investigation
 * sets the notice aside, a terminated case needs no decision.
 */
const WITHDRAWING = new Set(['issue_pre_penalty_notice', 'reopen_investigation', 'terminate_case']);

/**
 * Every deadline the case has had, in the order started, and how each ended: `met` by the action it awaited
 * on time; `waived_in_writing`; `withdrawn` by the bureau; `lapsed` — a party's window that ran out unused (a
 * right simply ends); `missed` — any other period past its due instant, stopped late or still open.
 */
export function deadlineHistory(snapshot: CaseSnapshot, now: Date): DeadlineHistoryEntry[] {
  return snapshot.deadlines.map((d) => {
    const info = DEADLINE_INFO[d.kind];
    const end = d.stoppedAt ?? null;
    const late = (end ?? now).getTime() > d.dueAt.getTime();
    const status: DeadlineEnd =
      end && d.stoppedBy && WAIVING.has(d.stoppedBy)
        ? 'waived_in_writing'
        : end && d.stoppedBy && WITHDRAWING.has(d.stoppedBy) && !late
          ? 'withdrawn'
          : !late
            ? end
              ? 'met'
              : 'running'
            : info.lapses
              ? 'lapsed'
              : 'missed';
    return {
      kind: d.kind,
      ...info,
      startedAt: d.startedAt,
      dueAt: d.dueAt,
      stoppedAt: end,
      stoppedBy: d.stoppedBy ?? null,
      status,
    };
  });
}
