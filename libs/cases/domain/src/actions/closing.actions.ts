import { homeAuthorityReportDeadline } from '@ecc/legal-domain';
import { z } from 'zod';
import { PUBLICATION_OUTCOMES, type CaseSnapshot, type DeadlineKind } from '../case-state';
import {
  conflict,
  fen,
  flag,
  homeAuthorityReportRequired,
  paidFen,
  requireDecision,
  requirePastFact,
  rule,
} from './case-action-helpers';
import { approver, defineCaseAction, officer, same, text, to, when } from './define-case-action';

/** 结案, the report to the vehicle's home authority (抄告), publicity of the decision, and the archive. */

/** Paid in full: the fine plus the late fee owed as of the last payment (Art. 72). */
function fineSettled(s: CaseSnapshot): boolean {
  const last = s.payments[s.payments.length - 1];
  if (!last || !s.decision) return false;
  return paidFen(s) >= fen(s.decision.penalty.amountYuan ?? 0) + fen(last.lateFeeDueYuan);
}

function openDeadlineDue(s: CaseSnapshot, kind: DeadlineKind): Date | undefined {
  return s.deadlines.find((d) => d.kind === kind && d.stoppedAt === undefined)?.dueAt;
}

/** The decision's publication as the publicity context recorded it (read by the system, never taken from a request). */
const publicationInput = {
  publication: z
    .strictObject({ status: z.enum(PUBLICATION_OUTCOMES), rule: z.string().nullable() })
    .optional()
    .describe("the decision's publication as the publicity context recorded it"),
};
const publicationRefusal = {
  publication: { message: "the decision's publication is read from the publicity record" },
};

/**
 * Publicity is settled for the archive (行政处罚法 Art. 48): recorded by an officer, or not owed — the publicity
 * policy does not publish this decision, or its publication was withdrawn (Art. 48 ¶2: a revoked decision).
 */
const publicitySettled = (s: CaseSnapshot) =>
  !!s.publicity || s.publication?.status === 'not_published' || s.publication?.status === 'withdrawn';

export const closeCase = defineCaseAction({
  type: 'close_case',
  stage: 'closing',
  title: '结案',
  roles: approver,
  transitions: to(['executed', 'referred_for_enforcement'], 'closed'),
  starts: ['home_authority_report_due'],
  article: '《超限运输车辆行驶公路管理规定》 Art. 44',
  /** The approver's reason to close a case file that fails a closing check (case-file evaluation). */
  extras: {
    overrideReason: text
      .optional()
      .describe('why the case is closed although its case-file evaluation is below the closing threshold'),
  },
  system: publicationInput,
  systemRefusals: publicationRefusal,
  example: { expectedVersion: 14 },
  guard: (c) => {
    // The state already says so; checked on the facts as well, since closing is what 案卷评查 scores.
    const decision = requireDecision(c.s);
    if (c.s.state === 'referred_for_enforcement') return;
    const executed =
      decision.penalty.kind === 'warning'
        ? !!c.s.service
        : decision.penalty.kind === 'fine'
          ? fineSettled(c.s)
          : !!c.s.execution;
    if (!executed) throw rule('penalty_not_executed', '处罚尚未执行完毕，不得结案');
  },
  run: (c) => ({
    started: homeAuthorityReportRequired(c.s)
      ? [
          {
            kind: 'home_authority_report_due',
            startedAt: c.now,
            dueAt: homeAuthorityReportDeadline(c.now, c.dl).due,
          },
        ]
      : [],
  }),
  apply: (s, a, c) => {
    s.closing = { closedAt: c.now, approvedBy: c.actor.id };
    if (a.publication) s.publication = { ...a.publication, readAt: c.now };
  },
});

export const recordHomeAuthorityReport = defineCaseAction({
  type: 'record_home_authority_report',
  stage: 'closing',
  title: '记录抄告车籍地',
  roles: officer,
  transitions: same(['closed']),
  stops: ['home_authority_report_due'],
  article: '《超限运输车辆行驶公路管理规定》 Art. 44',
  input: { reportedAt: when },
  example: { reportedAt: '2024-04-10T01:00:00.000Z' },
  guard: (c) => {
    if (!homeAuthorityReportRequired(c.s))
      throw rule('home_authority_report_not_required', '本案不需抄告车籍地');
    if (c.s.homeAuthorityReport) throw conflict('already_recorded', '已记录抄告');
  },
  run: (c, a) => {
    const reportedAt = a.reportedAt ?? c.now;
    requirePastFact(c, reportedAt, 'reportedAt');
    const due = openDeadlineDue(c.s, 'home_authority_report_due');
    const late = !!due && reportedAt.getTime() > due.getTime();
    return {
      flags: late
        ? [
            flag(
              c,
              'home_authority_report_late',
              '《超限运输车辆行驶公路管理规定》 Art. 44',
              '结案后7个工作日内未抄告车籍地',
            ),
          ]
        : [],
    };
  },
  apply: (s, a, c) => {
    s.homeAuthorityReport = { reportedAt: a.reportedAt ?? c.now, recordedBy: c.actor.id };
  },
});

export const recordPublicity = defineCaseAction({
  type: 'record_publicity',
  stage: 'closing',
  title: '记录公示',
  roles: officer,
  transitions: same(['decided', 'served', 'executed', 'referred_for_enforcement', 'closed']),
  stops: ['publicity_due'],
  article: '行政处罚法 Art. 48',
  input: { publishedAt: when },
  system: publicationInput,
  systemRefusals: publicationRefusal,
  example: { publishedAt: '2024-03-18T01:00:00.000Z' },
  guard: (c) => {
    requireDecision(c.s);
    if (c.s.publicity) throw conflict('already_recorded', '已记录公示');
  },
  run: (c, a) => {
    const publishedAt = a.publishedAt ?? c.now;
    requirePastFact(c, publishedAt, 'publishedAt');
    // No record of a publication that never happened: the policy left the decision unpublished, or it is held.
    if (a.publication?.status === 'not_published') {
      throw rule(
        'publication_not_made',
        `本决定依本局公示政策不予公示（${a.publication.rule ?? '—'}），无公示可记录；归档无需公示记录（行政处罚法第四十八条）`,
      );
    }
    if (a.publication?.status === 'held') {
      throw rule(
        'publication_still_held',
        '公示内容待核查个人信息，尚未公开，不得记录为已公示（行政处罚法第四十八条）',
      );
    }
    const due = openDeadlineDue(c.s, 'publicity_due');
    const late = !!due && publishedAt.getTime() > due.getTime();
    return {
      flags: late ? [flag(c, 'publicity_late', '行政处罚法 Art. 48', '未在规定期限内公示处罚决定')] : [],
    };
  },
  apply: (s, a, c) => {
    s.publicity = { publishedAt: a.publishedAt ?? c.now, recordedBy: c.actor.id };
    if (a.publication) s.publication = { ...a.publication, readAt: c.now };
  },
});

export const archive = defineCaseAction({
  type: 'archive',
  stage: 'closing',
  title: '归档',
  roles: ['officer', 'approver'],
  transitions: to(['closed', 'not_filed', 'terminated'], 'archived'),
  article: '案卷归档：案卷按序装订，此后只读',
  independentOfCase: false,
  example: { expectedVersion: 17 },
  guard: (c) => {
    if (c.s.state !== 'closed') return;
    // Once archived nothing can be recorded: the report and the publicity must be on file first.
    if (homeAuthorityReportRequired(c.s) && !c.s.homeAuthorityReport) {
      throw rule(
        'home_authority_report_pending',
        '尚未抄告车籍地（《超限运输车辆行驶公路管理规定》第四十四条），不得归档',
      );
    }
    if (c.s.decision && !publicitySettled(c.s))
      throw rule('publicity_pending', '处罚决定尚未公示（行政处罚法第四十八条），不得归档');
  },
  apply: (s, _a, c) => {
    s.archivedAt = c.now;
  },
});

export const CLOSING_ACTIONS = [closeCase, recordHomeAuthorityReport, recordPublicity, archive] as const;
