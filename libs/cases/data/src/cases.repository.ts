import type { CaseSnapshot, CaseState } from '@ecc/cases-domain';
import { DomainError } from '@ecc/shared-kernel';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import { decodeSnapshot, encodeSnapshot } from './case-snapshot.codec';

const caseInclude = {
  parties: { include: { party: { include: { driver: true } } } },
  officers: { include: { user: true }, orderBy: { assignedAt: 'asc' } },
  lead: { include: { station: true } },
  vehicle: { include: { owner: true, enterprise: { include: { party: true } } } },
  decision: true,
  documents: {
    orderBy: { createdAt: 'asc' },
    include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
  },
} satisfies Prisma.CaseInclude;

export type CaseRow = Prisma.CaseGetPayload<{ include: typeof caseInclude }>;

export interface LoadedCase {
  row: CaseRow;
  snapshot: CaseSnapshot;
}

export interface CasePartyInput {
  role: 'driver' | 'source_unit' | 'agent';
  kind: 'person' | 'organisation';
  name: string;
  idNumber: string;
  phone?: string;
  address?: string;
  /** 从业资格证号 of a driver */
  qualificationCertificateNo?: string;
  /** 装载单号 of a cargo source unit */
  loadingSlipNo?: string;
  /** 驾驶人所属企业 of a driver, as the investigation found it */
  employer?: string;
}

export const caseModified = (id: string) =>
  new DomainError('conflict', 'case_modified', `case ${id} was changed by someone else: reload it and retry`);

/** Cases (案件) with the state machine's snapshot; every write checks and bumps `version`. */
export class CasesRepository {
  constructor(private readonly db: PrismaClient) {}

  async load(id: string, db: Tx | PrismaClient = this.db): Promise<LoadedCase | null> {
    const row = await db.case.findUnique({ where: { id }, include: caseInclude });
    if (!row || !row.workflow) return null;
    return { row, snapshot: decodeSnapshot(row.workflow) };
  }

  /** Serialises work on one case (filing numbers, actions) inside the caller's transaction. */
  async lock(tx: Tx, id: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM cases WHERE id = ${id}::uuid FOR UPDATE`;
  }

  async create(
    tx: Tx,
    data: {
      id: string;
      type: CaseSnapshot['caseType'];
      leadId: string;
      vehicleId: string | null;
      enterpriseId: string | null;
      violationDate: Date;
      facts: string | null;
      snapshot: CaseSnapshot;
      officerIds: string[];
      parties: { partyId: string; role: 'owner' | 'enterprise' | 'driver' | 'source_unit' | 'agent' }[];
      createdAt: Date;
    },
  ): Promise<void> {
    await tx.case.create({
      data: {
        id: data.id,
        type: data.type,
        state: 'draft',
        leadId: data.leadId,
        vehicleId: data.vehicleId,
        enterpriseId: data.enterpriseId,
        violationDate: data.violationDate,
        facts: data.facts,
        workflow: encodeSnapshot(data.snapshot),
        createdAt: data.createdAt,
        officers: {
          create: data.officerIds.map((userId, i) => ({
            userId,
            isLead: i === 0,
            assignedAt: data.createdAt,
          })),
        },
        parties: { create: data.parties },
      },
    });
  }

  /**
   * Writes the next snapshot if nobody changed the case since it was read (optimistic locking);
   * otherwise `conflict / case_modified`.
   */
  async saveSnapshot(
    tx: Tx,
    id: string,
    expectedVersion: number,
    snapshot: CaseSnapshot,
    columns: Prisma.CaseUpdateManyMutationInput = {},
  ): Promise<number> {
    const result = await tx.case.updateMany({
      where: { id, version: expectedVersion },
      data: {
        ...columns,
        state: snapshot.state,
        workflow: encodeSnapshot(snapshot),
        version: { increment: 1 },
      },
    });
    if (result.count !== 1) throw caseModified(id);
    return expectedVersion + 1;
  }

  /**
   * Gapless case numbers per year and pattern: the upsert takes the row lock of (year, pattern) until the
   * filing transaction ends, so concurrent filings queue on it and a rolled-back filing gives its number back.
   */
  async nextCaseSequence(tx: Tx, year: number, pattern: string): Promise<number> {
    const rows = await tx.$queryRaw<{ last_value: number }[]>`
      INSERT INTO case_number_sequences (year, pattern, last_value, updated_at)
      VALUES (${year}, ${pattern}, 1, now())
      ON CONFLICT (year, pattern) DO UPDATE
        SET last_value = case_number_sequences.last_value + 1, updated_at = now()
      RETURNING last_value`;
    return Number(rows[0]!.last_value);
  }

  async replaceOfficers(tx: Tx, caseId: string, userIds: string[], at: Date): Promise<void> {
    await tx.caseOfficer.deleteMany({ where: { caseId, userId: { notIn: userIds } } });
    const existing = await tx.caseOfficer.findMany({ where: { caseId }, select: { userId: true } });
    const have = new Set(existing.map((o) => o.userId));
    const added = userIds.filter((u) => !have.has(u));
    if (added.length) {
      await tx.caseOfficer.createMany({ data: added.map((userId) => ({ caseId, userId, assignedAt: at })) });
    }
  }

  /**
   * A party found in the investigation (driver, cargo source unit, agent): the registry party found by its ID
   * number or created, its driver / source-unit record, and its link to the case.
   */
  async addParty(tx: Tx, caseId: string, input: CasePartyInput): Promise<{ partyId: string }> {
    const existing = await tx.party.findUnique({ where: { idNumber: input.idNumber } });
    const party =
      existing ??
      (await tx.party.create({
        data: {
          kind: input.kind,
          name: input.name,
          idNumber: input.idNumber,
          phone: input.phone ?? null,
          address: input.address ?? null,
        },
      }));
    // What the registry did not know (a driver's address, as the documents must name it) is completed.
    if (existing && ((!existing.address && input.address) || (!existing.phone && input.phone))) {
      await tx.party.update({
        where: { id: existing.id },
        data: {
          ...(!existing.address && input.address ? { address: input.address } : {}),
          ...(!existing.phone && input.phone ? { phone: input.phone } : {}),
        },
      });
    }
    const link = await tx.caseParty.findFirst({ where: { caseId, partyId: party.id, role: input.role } });
    if (!link) await tx.caseParty.create({ data: { caseId, partyId: party.id, role: input.role } });
    if (input.role === 'driver') {
      const driver =
        (await tx.driver.findUnique({ where: { partyId: party.id } })) ??
        (await tx.driver.create({
          data: {
            partyId: party.id,
            idNo: input.idNumber,
            qualificationCertificateNo: input.qualificationCertificateNo ?? null,
          },
        }));
      if (input.qualificationCertificateNo && !driver.qualificationCertificateNo) {
        await tx.driver.update({
          where: { id: driver.id },
          data: { qualificationCertificateNo: input.qualificationCertificateNo },
        });
      }
      // The employer is the recorded driver's: a different driver takes theirs (or none), never the previous one's
      // (超限规定 Art. 44(二) reports it to the home authority).
      const current = await tx.case.findUnique({ where: { id: caseId }, select: { driverId: true } });
      const sameDriver = current?.driverId === driver.id;
      await tx.case.update({
        where: { id: caseId },
        data: {
          driverId: driver.id,
          ...(input.employer || !sameDriver ? { driverEmployer: input.employer ?? null } : {}),
        },
      });
    }
    if (input.role === 'source_unit') {
      const unit =
        (await tx.cargoSourceUnit.findUnique({ where: { partyId: party.id } })) ??
        (await tx.cargoSourceUnit.create({ data: { partyId: party.id } }));
      await tx.case.update({
        where: { id: caseId },
        data: {
          sourceUnitId: unit.id,
          ...(input.loadingSlipNo ? { loadingSlipNo: input.loadingSlipNo } : {}),
        },
      });
    }
    return { partyId: party.id };
  }

  async list(filter: {
    state?: CaseState;
    type?: CaseSnapshot['caseType'];
    leadId?: string;
    officerId?: string;
    limit: number;
    after?: { createdAt: Date; id: string };
  }) {
    const rows = await this.db.case.findMany({
      where: {
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.leadId ? { leadId: filter.leadId } : {}),
        ...(filter.officerId ? { officers: { some: { userId: filter.officerId } } } : {}),
        ...(filter.after
          ? {
              OR: [
                { createdAt: { lt: filter.after.createdAt } },
                { createdAt: filter.after.createdAt, id: { lt: filter.after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
      select: {
        id: true,
        caseNumber: true,
        state: true,
        type: true,
        leadId: true,
        violationDate: true,
        filedAt: true,
        createdAt: true,
        vehicle: { select: { plate: true } },
      },
    });
    return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
  }
}
