import { ApiRefusal, type ApiClient } from '../station/api-client';
import { DRIVERS, SOURCE_UNITS } from './county';

/**
 * What the demo's staff do with the day's leads, by the index of the overload that made each lead (traffic.ts):
 * review, then a case carried to a target state — so that the case screens show cases at many stages — and
 * the other ends a lead can come to (rejected, notified and waiting, fenced after its response window ran out,
 * the party came forward, owner unknown, left for review). Every step is done only if the lead or case is not past it yet: a second run changes
 * nothing that the first one did.
 */
export type LeadPlan =
  | { kind: 'case'; target: CaseTarget }
  | { kind: 'reject' }
  | { kind: 'confirm' }
  // confirmed and notified, then its response window runs out (fence.ts): the worker fences the vehicle
  | { kind: 'confirm_and_fence' }
  | { kind: 'confirm_and_response' }
  | { kind: 'leave_for_review' };

export const LEAD_PLANS: readonly LeadPlan[] = [
  { kind: 'case', target: 'closed' },
  { kind: 'case', target: 'decided' },
  { kind: 'case', target: 'awaiting_decision' },
  { kind: 'case', target: 'legal_review' },
  { kind: 'case', target: 'pre_penalty_notified' },
  { kind: 'case', target: 'investigating' },
  { kind: 'case', target: 'filed' },
  { kind: 'case', target: 'filing_requested' },
  { kind: 'case', target: 'draft' },
  { kind: 'reject' },
  { kind: 'confirm_and_fence' },
  { kind: 'confirm_and_response' },
  { kind: 'leave_for_review' },
  // the unregistered plate: confirmed, its owner unknown until an officer completes it
  { kind: 'confirm' },
];

export type Actor = 'officer' | 'approver' | 'reviewer';

interface CaseStep {
  action: string;
  by: Actor;
  /** The state the case is in when this step is due. */
  from: string;
  body: (facts: { amountYuan: number; caseId: string; index: number }) => Record<string, unknown>;
}

/** The ordinary procedure (行政处罚法 Chapter V Section 3), the same path the end-to-end tests take. */
const CASE_STEPS: readonly CaseStep[] = [
  { action: 'request_filing', by: 'officer', from: 'draft', body: () => ({}) },
  { action: 'approve_filing', by: 'approver', from: 'filing_requested', body: () => ({}) },
  {
    action: 'record_investigation',
    by: 'officer',
    from: 'filed',
    // The driver and the cargo source unit found (一超四罚: both answer for the trip).
    body: ({ caseId, index }) => {
      const driver = DRIVERS[index % DRIVERS.length]!;
      const unit = SOURCE_UNITS[index % SOURCE_UNITS.length]!;
      return {
        kind: 'inquiry',
        interviewee: { name: driver.name, idNumber: driver.idNumber, relation: 'driver' },
        summary: `询问驾驶人${driver.name}，驾驶人承认车辆超限运输，货物由${unit.name}装载`,
        location: '检测点执法站',
        parties: [
          {
            role: 'driver',
            kind: 'person',
            name: driver.name,
            idNumber: driver.idNumber,
            phone: driver.phone,
            qualificationCertificateNo: driver.qualificationCertificateNo,
          },
          {
            role: 'source_unit',
            kind: 'organisation',
            name: unit.name,
            idNumber: unit.socialCreditCode,
            loadingSlipNo: `ZD-${caseId.slice(0, 8).toUpperCase()}`,
          },
        ],
      };
    },
  },
  { action: 'issue_pre_penalty_notice', by: 'officer', from: 'investigating', body: () => ({}) },
  {
    action: 'record_waiver',
    by: 'officer',
    from: 'pre_penalty_notified',
    body: () => ({ right: 'statement', content: '当事人书面表示放弃陈述申辩' }),
  },
  {
    // a person fined 1,000 yuan or more may ask for a hearing (行政处罚法 Art. 63); an organisation from 20,000
    action: 'record_waiver',
    by: 'officer',
    from: 'pre_penalty_notified',
    body: () => ({ right: 'hearing', content: '当事人书面表示放弃听证' }),
  },
  { action: 'submit_legal_review', by: 'officer', from: 'pre_penalty_notified', body: () => ({}) },
  {
    action: 'pass_legal_review',
    by: 'reviewer',
    from: 'legal_review',
    body: () => ({ opinions: '事实清楚，证据确实充分，适用依据正确，程序合法，裁量适当' }),
  },
  { action: 'approve_decision', by: 'approver', from: 'awaiting_decision', body: () => ({}) },
  {
    action: 'record_service',
    by: 'officer',
    from: 'decided',
    body: () => ({ method: 'direct', recipient: '当事人本人' }),
  },
  {
    action: 'record_payment',
    by: 'officer',
    from: 'served',
    body: ({ amountYuan, caseId }) => ({ amountYuan, receiptNo: `DEMO-${caseId.slice(0, 8).toUpperCase()}` }),
  },
  { action: 'close_case', by: 'approver', from: 'executed', body: () => ({}) },
];

export type CaseTarget =
  | 'draft'
  | 'filing_requested'
  | 'filed'
  | 'investigating'
  | 'pre_penalty_notified'
  | 'legal_review'
  | 'awaiting_decision'
  | 'decided'
  | 'closed';

/** The state reached after each step, in order: where a case stands on the path. */
const STATES_IN_ORDER = [...new Set([...CASE_STEPS.map((s) => s.from), 'closed'])];

/**
 * Codes that mean "this was done already" when a step repeats (a run stopped right after it), or that the step
 * does not apply to this case (no hearing right to waive).
 */
const ALREADY_DONE = new Set(['already_waived', 'already_recorded', 'no_hearing_right']);

export interface CaseTeam {
  tokens: Record<Actor, string>;
}

/** Carries a case from where it stands to `target`, one step at a time; returns the state it ends in. */
export async function advanceCase(
  api: ApiClient,
  caseId: string,
  target: CaseTarget,
  team: CaseTeam,
  index: number,
): Promise<string> {
  const read = async () =>
    (await api.expect('read the case', 'GET', `/api/v1/cases/${caseId}`, { token: team.tokens.officer }))
      .body;
  let current = await read();
  const targetIndex = STATES_IN_ORDER.indexOf(target);
  for (const step of CASE_STEPS) {
    if (STATES_IN_ORDER.indexOf(current.state as string) >= targetIndex) break;
    if (current.state !== step.from) continue;
    const amountYuan = Number(current.proposedPenalty?.amountYuan ?? 0);
    try {
      await api.expect(step.action, 'POST', `/api/v1/cases/${caseId}/actions/${step.action}`, {
        token: team.tokens[step.by],
        body: step.body({ amountYuan, caseId, index }),
      });
    } catch (error) {
      if (!(error instanceof ApiRefusal && ALREADY_DONE.has(error.code ?? ''))) throw error;
    }
    current = await read();
  }
  return current.state as string;
}
