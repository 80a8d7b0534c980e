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

  /** Every version of the policy, newest first (few rows: kept in memory by screening). */
  /** `db`: the caller's transaction, so a reload never needs a second pool connection while one is held. */
  versions(db: Tx | PrismaClient = this.db, key = SCREENING_POLICY_KEY): Promise<PolicyVersionRow[]> {
    return db.policy.findMany({
      where: { key },
      orderBy: { validFrom: 'desc' },
      select: { value: true, validFrom: true, validTo: true },
    });
  }
}
