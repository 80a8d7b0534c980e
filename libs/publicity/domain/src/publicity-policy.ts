import { z } from 'zod';
import { PENALTY_KINDS, type PenaltyKind } from '@ecc/legal-domain';

/**
 * Which penalty decisions are published (公示). 行政处罚法 Art. 48 ¶1 requires publication of the decisions
 * "with a certain social impact" and leaves which those are to the bureau; the State Council's guidance on
 * the publicity of administrative enforcement (国办发〔2018〕118号) asks for every penalty decision within 7
 * working days. The default follows the guidance: every decision. The period itself is the `case` policy's
 * `publicityWorkingDays` (default 7), the same one the case's `publicity_due` deadline counts.
 */
export interface PublicityPolicy {
  /** `every_decision` (default, the guidance) or `by_criteria` (only what the criteria mark). */
  publish: 'every_decision' | 'by_criteria';
  /** Used with `by_criteria`: a decision is published when any criterion holds. */
  criteria: {
    /** Every decision against an organisation (an enterprise, a cargo source unit). */
    organisations: boolean;
    /** A fine of at least this many yuan; null: the amount alone never marks a decision. */
    minFineYuan: number | null;
    /** Decisions imposing any of these penalties (the serious ones by default). */
    penaltyKinds: PenaltyKind[];
  };
}

export const DEFAULT_PUBLICITY_POLICY: PublicityPolicy = {
  publish: 'every_decision',
  criteria: {
    // Bureau's choice, not statute: what "a certain social impact" is taken to mean when not everything is
    // published — organisations, fines from 10,000 yuan, and the penalties that carry a hearing right whatever
    // the amount (Art. 63: suspension, revocation, stop orders).
    organisations: true,
    minFineYuan: 10_000,
    penaltyKinds: [
      'order_stop_transport',
      'business_suspension',
      'licence_revocation',
      'certificate_revocation',
    ],
  },
};

export const publicityPolicySchema = z.strictObject({
  publish: z
    .enum(['every_decision', 'by_criteria'])
    .default(DEFAULT_PUBLICITY_POLICY.publish)
    .describe(
      'every_decision (default, 国办发〔2018〕118号) or by_criteria: only decisions with a certain social impact ' +
        '(行政处罚法 Art. 48) as the criteria define it.',
    ),
  criteria: z
    .strictObject({
      organisations: z.boolean().describe('Publish every decision against an organisation.'),
      minFineYuan: z
        .number()
        .int()
        .min(0)
        .nullable()
        .describe(
          'Publish a fine of at least this many yuan; null: the amount alone never marks a decision.',
        ),
      penaltyKinds: z
        .array(z.enum(PENALTY_KINDS))
        .max(PENALTY_KINDS.length)
        .describe('Publish a decision imposing any of these penalties.'),
    })
    .default(DEFAULT_PUBLICITY_POLICY.criteria)
    .describe('What marks a decision when publish is by_criteria (the bureau’s choice).'),
});

export interface DecisionForPolicy {
  partyKind: 'person' | 'organisation';
  penaltyKinds: readonly string[];
  fineYuan: number | null;
}

export type PublicityVerdict = { publish: true; rule: string } | { publish: false; rule: string };

/** Whether a decision is published under `policy`, and the rule that says so (kept on the publication). */
export function publicityVerdict(decision: DecisionForPolicy, policy: PublicityPolicy): PublicityVerdict {
  if (policy.publish === 'every_decision') return { publish: true, rule: 'every_decision' };
  const { organisations, minFineYuan, penaltyKinds } = policy.criteria;
  if (organisations && decision.partyKind === 'organisation') return { publish: true, rule: 'organisation' };
  const kind = decision.penaltyKinds.find((k) => (penaltyKinds as readonly string[]).includes(k));
  if (kind) return { publish: true, rule: `penalty_kind:${kind}` };
  if (minFineYuan !== null && decision.fineYuan !== null && decision.fineYuan >= minFineYuan)
    return { publish: true, rule: `fine_at_least:${minFineYuan}` };
  return { publish: false, rule: 'by_criteria:none_met' };
}
