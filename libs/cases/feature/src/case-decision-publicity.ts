import { Injectable } from '@nestjs/common';
import type { Tx } from '@ecc/shared-data';

/** What the publicity policy reads of a decision before it is approved. */
export interface DecisionForPublicity {
  partyKind: 'person' | 'organisation';
  penaltyKinds: readonly string[];
  fineYuan: number | null;
}

/**
 * Whether the publicity policy in force publishes a decision (公示, 行政处罚法 Art. 48), owned by the publicity
 * context and registered here: `approve_decision` starts `publicity_due` only for a decision the policy
 * publishes, so no deadline runs, and no alert fires, for a publication that will never be made.
 */
export interface DecisionPublicityPolicy {
  verdict(tx: Tx, decision: DecisionForPublicity, at: Date): Promise<{ publish: boolean; rule: string }>;
}

/** The registry of the publicity policy (none: every decision is owed its publication, as Art. 48 guidance asks). */
@Injectable()
export class CaseDecisionPublicity {
  private policy: DecisionPublicityPolicy | undefined;

  register(policy: DecisionPublicityPolicy): void {
    this.policy = policy;
  }

  verdict(tx: Tx, decision: DecisionForPublicity, at: Date) {
    return this.policy?.verdict(tx, decision, at);
  }
}
