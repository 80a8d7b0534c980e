import { homeAuthorityReportDeadline } from '@ecc/legal-domain';
import type { CaseSnapshot, DeadlineKind } from '../case-state';
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
  apply: (s, _a, c) => {
    s.closing = { closedAt: c.now, approvedBy: c.actor.id };
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
  example: { publishedAt: '2024-03-18T01:00:00.000Z' },
  guard: (c) => {
    requireDecision(c.s);
    if (c.s.publicity) throw conflict('already_recorded', '已记录公示');
  },
  run: (c, a) => {
    const publishedAt = a.publishedAt ?? c.now;
    requirePastFact(c, publishedAt, 'publishedAt');
    const due = openDeadlineDue(c.s, 'publicity_due');
    const late = !!due && publishedAt.getTime() > due.getTime();
    return {
      flags: late ? [flag(c, 'publicity_late', '行政处罚法 Art. 48', '未在规定期限内公示处罚决定')] : [],
    };
  },
  apply: (s, a, c) => {
    s.publicity = { publishedAt: a.publishedAt ?? c.now, recordedBy: c.actor.id };
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
    if (c.s.decision && !c.s.publicity)
      throw rule('publicity_pending', '处罚决定尚未公示（行政处罚法第四十八条），不得归档');
  },
  apply: (s, _a, c) => {
    s.archivedAt = c.now;
  },
});

export const CLOSING_ACTIONS = [closeCase, recordHomeAuthorityReport, recordPublicity, archive] as const;
