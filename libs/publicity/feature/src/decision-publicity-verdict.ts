import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CaseDecisionPublicity,
  type DecisionForPublicity,
  type DecisionPublicityPolicy,
} from '@ecc/cases-feature';
import { PoliciesRepository } from '@ecc/legal-data';
import {
  DEFAULT_PUBLICITY_POLICY,
  publicityPolicySchema,
  publicityVerdict,
  type PublicityPolicy,
} from '@ecc/publicity-domain';
import type { Tx } from '@ecc/shared-data';

/**
 * The publicity policy in force (行政处罚法 Art. 48), read the same way for the case's `publicity_due` (registered
 * with the case actions, so a decision the policy does not publish has no period and no alert) and for the
 * publication written after the decision.
 */
@Injectable()
export class DecisionPublicityVerdict implements DecisionPublicityPolicy, OnModuleInit {
  constructor(
    private readonly registry: CaseDecisionPublicity,
    private readonly policies: PoliciesRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async verdict(tx: Tx, decision: DecisionForPublicity, at: Date) {
    return publicityVerdict(decision, await this.policy(tx, at));
  }

  async policy(tx: Tx, at: Date): Promise<PublicityPolicy> {
    const stored = await this.policies.current('publicity', at, tx);
    const parsed = stored ? publicityPolicySchema.safeParse(stored.value) : undefined;
    return parsed?.success ? parsed.data : DEFAULT_PUBLICITY_POLICY;
  }
}
