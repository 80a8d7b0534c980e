import type { PrismaClient, Tx } from '@ecc/shared-data';

export interface PolicyVersion {
  id: string;
  key: string;
  value: unknown;
  validFrom: Date;
  validTo: Date | null;
}

/**
 * Local policies (DOMAIN.md "policy": tolerance, response window, hearing threshold, holidays, ...) as
 * versioned JSON: a change closes the current version and opens a new one, so what applied at any past
 * instant can be read back.
 */
export class PoliciesRepository {
  constructor(private readonly db: PrismaClient) {}

  async current(
    key: string,
    at: Date = new Date(),
    db: Tx | PrismaClient = this.db,
  ): Promise<PolicyVersion | null> {
    return db.policy.findFirst({
      where: { key, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
      orderBy: { validFrom: 'desc' },
    });
  }

  /** Every version, newest first. `db`: a caller's transaction, so a read never needs a second connection. */
  async versions(key: string, db: Tx | PrismaClient = this.db): Promise<PolicyVersion[]> {
    return db.policy.findMany({ where: { key }, orderBy: { validFrom: 'desc' } });
  }

  /** Closes the version in force at `from` and opens `value` from then on. */
  async replace(
    tx: Tx,
    key: string,
    value: unknown,
    from: Date,
  ): Promise<{ previous: PolicyVersion | null; current: PolicyVersion }> {
    // One writer per key at a time, so two admins cannot both close the same version.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ecc.policy.${key}`}))`;
    const previous = await this.current(key, from, tx);
    if (previous) await tx.policy.update({ where: { id: previous.id }, data: { validTo: from } });
    const current = await tx.policy.create({ data: { key, value: value as object, validFrom: from } });
    return { previous, current };
  }
}
