import type { PrismaClient, Tx } from '@ecc/shared-data';

/** Key of the screening policy (DOMAIN.md "policy" values of step 2) in the versioned policies table. */
export const SCREENING_POLICY_KEY = 'screening';

export interface PolicyVersionRow {
  value: unknown;
  validFrom: Date;
  validTo: Date | null;
}

export class ScreeningPolicyRepository {
  constructor(private readonly db: PrismaClient) {}

  /** The stored value of the policy in force at `at` (the detection time), or null when none is stored. */
  async valueAt(tx: Tx, at: Date, key = SCREENING_POLICY_KEY): Promise<unknown> {
    const row = await tx.policy.findFirst({
      where: { key, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
      orderBy: { validFrom: 'desc' },
      select: { value: true },
    });
    return row ? row.value : null;
  }

  /** Every version of the policy, newest first (few rows: kept in memory by screening). */
  versions(key = SCREENING_POLICY_KEY): Promise<PolicyVersionRow[]> {
    return this.db.policy.findMany({
      where: { key },
      orderBy: { validFrom: 'desc' },
      select: { value: true, validFrom: true, validTo: true },
    });
  }
}
