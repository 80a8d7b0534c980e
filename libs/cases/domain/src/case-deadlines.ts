import { addDays, daysBetween, localDate, startOfLocalDay, type IsoDate } from '@ecc/shared-kernel';
import type { CaseSnapshot, DeadlineKind } from './case-state';

/**
 * The working-day calendar lives in @ecc/legal-domain; the machine takes it as a port so that it does not
 * depend on how holidays and make-up working days (调休) are loaded.
 */
export interface WorkingDayCalendar {
  /** The last instant of the `workingDays`-th working day after the local date of `start`. */
  deadlineAfterWorkingDays(start: Date, workingDays: number, timeZone: string): Date;
}

export interface DeadlineInfo {
  title: string;
  /** `party`: a window the party holds, which lapses by itself; `authority`: a duty that goes overdue. */
  owner: 'party' | 'authority';
  article: string;
}

export const DEADLINE_INFO: Readonly<Record<DeadlineKind, DeadlineInfo>> = {
  decision_due: {
    title: '作出处罚决定期限（立案后90日）',
    owner: 'authority',
    article: '行政处罚法 Art. 60',
  },
  statement_window: {
    title: '陈述申辩期限',
    owner: 'party',
    article: '行政处罚法 Art. 44, 45 (policy: statementDays)',
  },
  hearing_request_window: {
    title: '听证申请期限（告知后5日）',
    owner: 'party',
    article: '行政处罚法 Art. 64(1)',
  },
  service_due: { title: '决定书送达期限（决定后7日）', owner: 'authority', article: '行政处罚法 Art. 61' },
  payment_due: { title: '缴纳罚款期限（送达后15日）', owner: 'party', article: '行政处罚法 Art. 67' },
  home_authority_report_due: {
    title: '抄告车籍地期限（结案后7个工作日）',
    owner: 'authority',
    article: '《超限运输车辆行驶公路管理规定》 Art. 44',
  },
  publicity_due: {
    title: '处罚决定公示期限',
    owner: 'authority',
    article: '行政处罚法 Art. 48 (policy: publicityWorkingDays)',
  },
};

export interface RunningDeadline {
  kind: DeadlineKind;
  title: string;
  owner: 'party' | 'authority';
  article: string;
  startedAt: Date;
  dueAt: Date;
  /** Only when `now` is given: an authority deadline past its due instant. */
  overdue?: boolean;
}

/**
 * The deadlines running on a case: started and not stopped. With `now`, a party's window that has ended
 * is left out (it lapses by itself; the periodic sweep records it), and authority deadlines carry `overdue`.
 */
export function runningDeadlines(snapshot: CaseSnapshot, now?: Date): RunningDeadline[] {
  return snapshot.deadlines
    .filter((d) => d.stoppedAt === undefined)
    .filter((d) => !(now && DEADLINE_INFO[d.kind].owner === 'party' && d.dueAt.getTime() < now.getTime()))
    .map((d) => ({
      kind: d.kind,
      ...DEADLINE_INFO[d.kind],
      startedAt: d.startedAt,
      dueAt: d.dueAt,
      ...(now && DEADLINE_INFO[d.kind].owner === 'authority'
        ? { overdue: d.dueAt.getTime() < now.getTime() }
        : {}),
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The kinds whose record is started and not stopped (whatever the time). */
export function openDeadlineKinds(snapshot: CaseSnapshot): Set<DeadlineKind> {
  return new Set(snapshot.deadlines.filter((d) => d.stoppedAt === undefined).map((d) => d.kind));
}

/**
 * Adds calendar months the way 民法典 Art. 202 counts them: the corresponding day of the last month, or its
 * last day when it has no such day (31 August + 6 months → 28/29 February).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The last instant of a period of `months` months starting with an event at `start` (local calendar). */
export function deadlineAfterMonths(start: Date, months: number, timeZone: string): Date {
  const lastDay = addMonths(localDate(start, timeZone), months);
  return new Date(startOfLocalDay(addDays(lastDay, 1), timeZone).getTime() - 1);
}

/** Whole local calendar days from the date of `from` to the date of `to`. */
export function localDaysBetween(from: Date, to: Date, timeZone: string): number {
  return daysBetween(localDate(from, timeZone), localDate(to, timeZone));
}
