import { randomUUID } from 'node:crypto';
import type { PartyKind, Prisma, Tx } from '@ecc/shared-data';
import type { IsoDate } from '@ecc/shared-kernel';
import {
  isUnifiedSocialCreditCode,
  type DriverRow,
  type EnterpriseRow,
  type SourceUnitRow,
  type VehicleRow,
} from '@ecc/registry-domain';
import { dateColumn, isoDateOf } from './dates';

/** What an import did with one row; `refused` rows make the caller roll the whole file back. */
export type RowOutcome =
  | { status: 'created'; entityType: RegistryEntity; entityId: string; changes: Record<string, unknown> }
  | { status: 'updated'; entityType: RegistryEntity; entityId: string; changes: Changes }
  | { status: 'unchanged' }
  | { status: 'refused'; field: string; message: string };

export type RegistryEntity = 'vehicle' | 'enterprise' | 'driver' | 'cargo_source_unit';

export interface Changes {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The fields of `after` that differ from `before`, or null when none does. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes | null {
  const changed = Object.keys(after).filter((k) => after[k] !== undefined && after[k] !== before[k]);
  if (changed.length === 0) return null;
  return {
    before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(changed.map((k) => [k, after[k]])),
  };
}

const merge = (...parts: (Changes | null)[]): Changes | null => {
  const present = parts.filter((p): p is Changes => p !== null);
  if (present.length === 0) return null;
  return {
    before: Object.assign({}, ...present.map((p) => p.before)),
    after: Object.assign({}, ...present.map((p) => p.after)),
  };
};

const prefixed = (prefix: string, changes: Changes | null): Changes | null =>
  changes && {
    before: Object.fromEntries(Object.entries(changes.before).map(([k, v]) => [`${prefix}.${k}`, v])),
    after: Object.fromEntries(Object.entries(changes.after).map(([k, v]) => [`${prefix}.${k}`, v])),
  };

interface PartyState {
  id: string;
  kind: PartyKind;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
}
const partySelect = { id: true, kind: true, name: true, idNumber: true, phone: true, address: true } as const;

/**
 * A party's kind: from its identity number when known (a unified social credit code is an organisation's),
 * otherwise from the name — registry exports name organisations by their legal form.
 */
export function partyKindOf(name: string, idNumber?: string | null): PartyKind {
  if (idNumber) return isUnifiedSocialCreditCode(idNumber) ? 'organisation' : 'person';
  return /(公司|有限|集团|厂|站|中心|合作社|车队|经营部|商行|个体工商户)$/.test(name) || /公司/.test(name)
    ? 'organisation'
    : 'person';
}

/** Rows per INSERT of a batch (well under Postgres' 65,535 bind parameters). */
const CHUNK = 1000;

/**
 * The writes of one file, applied at the end in foreign-key order: new rows as multi-row INSERTs (ids
 * chosen here), then updates in file order. Reads during the file see the planned state in memory.
 */
class WritePlan {
  readonly parties: Prisma.PartyCreateManyInput[] = [];
  readonly enterprises: Prisma.EnterpriseCreateManyInput[] = [];
  readonly fleetSizes: Prisma.EnterpriseFleetSizeCreateManyInput[] = [];
  readonly vehicles: Prisma.VehicleCreateManyInput[] = [];
  readonly drivers: Prisma.DriverCreateManyInput[] = [];
  readonly sourceUnits: Prisma.CargoSourceUnitCreateManyInput[] = [];
  readonly updates: ((tx: Tx) => Promise<unknown>)[] = [];

  async apply(tx: Tx): Promise<void> {
    const insert = async <T>(rows: T[], createMany: (data: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += CHUNK) await createMany(rows.slice(i, i + CHUNK));
    };
    await insert(this.parties, (data) => tx.party.createMany({ data }));
    await insert(this.enterprises, (data) => tx.enterprise.createMany({ data }));
    await insert(this.fleetSizes, (data) => tx.enterpriseFleetSize.createMany({ data }));
    await insert(this.vehicles, (data) => tx.vehicle.createMany({ data }));
    await insert(this.drivers, (data) => tx.driver.createMany({ data }));
    await insert(this.sourceUnits, (data) => tx.cargoSourceUnit.createMany({ data }));
    for (const update of this.updates) await update(tx);
  }
}

/** Applies the plan unless a row was refused: then the caller rolls back and nothing needs writing. */
async function applyUnlessRefused(tx: Tx, plan: WritePlan, outcomes: RowOutcome[]): Promise<RowOutcome[]> {
  if (!outcomes.some((o) => o.status === 'refused')) await plan.apply(tx);
  return outcomes;
}

/**
 * Idempotent upserts of the vehicle registry on natural keys, inside the caller's transaction. Each
 * method reads what exists in a few queries, then writes only what differs, and says per row what it did.
 */
export class RegistryImportRepository {
  /** Parties by identity number, shared by rows of one file (a driver may also own a vehicle). */
  private async partiesByIdNumber(tx: Tx, idNumbers: string[]): Promise<Map<string, PartyState>> {
    if (idNumbers.length === 0) return new Map();
    const rows = await tx.party.findMany({ where: { idNumber: { in: idNumbers } }, select: partySelect });
    return new Map(rows.map((p) => [p.idNumber!, p]));
  }

  /** Brings a party's contact fields up to date; returns what changed. */
  private updateParty(
    plan: WritePlan,
    party: PartyState,
    next: Partial<Pick<PartyState, 'name' | 'phone' | 'address'>>,
  ): Changes | null {
    const changes = diff(party as unknown as Record<string, unknown>, next);
    if (changes) {
      const data = changes.after;
      plan.updates.push((tx) => tx.party.update({ where: { id: party.id }, data }));
      Object.assign(party, data);
    }
    return changes;
  }

  private createParty(plan: WritePlan, data: Omit<PartyState, 'id'>): PartyState {
    const party = { id: randomUUID(), ...data };
    plan.parties.push(party);
    return party;
  }

  async upsertEnterprises(tx: Tx, rows: EnterpriseRow[], today: IsoDate): Promise<RowOutcome[]> {
    const existing = await tx.enterprise.findMany({
      where: { licenceNo: { in: rows.map((r) => r.licenceNo) } },
      select: {
        id: true,
        licenceNo: true,
        fleetSize: true,
        party: { select: partySelect },
        fleetSizes: { select: { id: true, fleetSize: true, effectiveFrom: true } },
      },
    });
    const byLicence = new Map(existing.map((e) => [e.licenceNo, e]));
    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      const effectiveFrom = row.fleetSizeEffectiveFrom ?? today;
      if (effectiveFrom > today) {
        outcomes.push({
          status: 'refused',
          field: 'fleetSizeEffectiveFrom',
          message: 'must not be in the future',
        });
        continue;
      }
      const current = byLicence.get(row.licenceNo);
      if (!current) {
        const party = this.createParty(plan, {
          kind: 'organisation',
          name: row.name,
          idNumber: null,
          phone: row.contactPhone,
          address: null,
        });
        const created = { id: randomUUID() };
        plan.enterprises.push({
          id: created.id,
          partyId: party.id,
          licenceNo: row.licenceNo,
          fleetSize: row.fleetSize,
        });
        plan.fleetSizes.push({
          enterpriseId: created.id,
          fleetSize: row.fleetSize,
          effectiveFrom: dateColumn(effectiveFrom),
        });
        outcomes.push({
          status: 'created',
          entityType: 'enterprise',
          entityId: created.id,
          changes: { ...row, fleetSizeEffectiveFrom: effectiveFrom },
        });
        continue;
      }
      const partyChanges = this.updateParty(plan, current.party, {
        name: row.name,
        phone: row.contactPhone,
      });

      // The fleet size history: one size per effective day; the current size is the latest one.
      const history = current.fleetSizes
        .map((h) => ({ ...h, day: isoDateOf(h.effectiveFrom) }))
        .sort((a, b) => a.day.localeCompare(b.day));
      const sameDay = history.find((h) => h.day === effectiveFrom);
      const inForce = [...history].reverse().find((h) => h.day <= effectiveFrom);
      let historyChanges: Changes | null = null;
      if (sameDay && sameDay.fleetSize !== row.fleetSize) {
        const id = sameDay.id;
        const fleetSize = row.fleetSize;
        plan.updates.push((tx) => tx.enterpriseFleetSize.update({ where: { id }, data: { fleetSize } }));
        historyChanges = {
          before: { [`fleetSize@${effectiveFrom}`]: sameDay.fleetSize },
          after: { [`fleetSize@${effectiveFrom}`]: row.fleetSize },
        };
        sameDay.fleetSize = row.fleetSize;
      } else if (!sameDay && (inForce?.fleetSize ?? current.fleetSize) !== row.fleetSize) {
        const added = {
          id: randomUUID(),
          enterpriseId: current.id,
          fleetSize: row.fleetSize,
          effectiveFrom: dateColumn(effectiveFrom),
        };
        plan.fleetSizes.push(added);
        history.push({ ...added, day: effectiveFrom });
        history.sort((a, b) => a.day.localeCompare(b.day));
        historyChanges = {
          before: { [`fleetSize@${effectiveFrom}`]: inForce?.fleetSize ?? null },
          after: { [`fleetSize@${effectiveFrom}`]: row.fleetSize },
        };
      }
      const latest = history.at(-1)?.fleetSize ?? row.fleetSize;
      const sizeChanges = diff({ fleetSize: current.fleetSize }, { fleetSize: latest });
      if (sizeChanges) {
        const id = current.id;
        plan.updates.push((tx) => tx.enterprise.update({ where: { id }, data: { fleetSize: latest } }));
        current.fleetSize = latest;
      }
      const changes = merge(prefixed('party', partyChanges), historyChanges, sizeChanges);
      outcomes.push(
        changes
          ? { status: 'updated', entityType: 'enterprise', entityId: current.id, changes }
          : { status: 'unchanged' },
      );
    }
    return applyUnlessRefused(tx, plan, outcomes);
  }

  async upsertVehicles(tx: Tx, rows: VehicleRow[]): Promise<RowOutcome[]> {
    const enterprises = new Map(
      (
        await tx.enterprise.findMany({
          where: { licenceNo: { in: [...new Set(rows.map((r) => r.enterpriseLicenceNo))] } },
          select: { id: true, licenceNo: true },
        })
      ).map((e) => [e.licenceNo, e.id]),
    );
    const vehicleSelect = {
      id: true,
      plate: true,
      plateColour: true,
      enterpriseId: true,
      transportCertificateNo: true,
      axleCount: true,
      owner: { select: partySelect },
    } as const;
    const vehicles = await tx.vehicle.findMany({
      where: { plate: { in: [...new Set(rows.map((r) => r.plate))] } },
      select: vehicleSelect,
    });
    const byPlate = new Map(vehicles.map((v) => [`${v.plate}|${v.plateColour}`, v]));
    // Who holds each road transport certificate number now (it is unique to one vehicle).
    const certificateHolders = new Map(
      (
        await tx.vehicle.findMany({
          where: { transportCertificateNo: { in: rows.map((r) => r.transportCertificateNo) } },
          select: { id: true, plate: true, transportCertificateNo: true },
        })
      ).map((v) => [v.transportCertificateNo!, v]),
    );
    const parties = await this.partiesByIdNumber(
      tx,
      rows.flatMap((r) => (r.ownerIdNumber ? [r.ownerIdNumber] : [])),
    );

    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      const enterpriseId = enterprises.get(row.enterpriseLicenceNo);
      if (!enterpriseId) {
        outcomes.push({
          status: 'refused',
          field: 'enterpriseLicenceNo',
          message: 'no enterprise with this licence number is registered: import the enterprises first',
        });
        continue;
      }
      const current = byPlate.get(`${row.plate}|${row.plateColour}`);
      const holder = certificateHolders.get(row.transportCertificateNo);
      if (holder && holder.id !== current?.id) {
        outcomes.push({
          status: 'refused',
          field: 'transportCertificateNo',
          message: `this road transport certificate number is registered to another vehicle (${holder.plate})`,
        });
        continue;
      }

      // The owner: the party of that identity number; without one, the current owner when the name is the same.
      let owner: PartyState | undefined;
      let ownerChanges: Changes | null = null;
      let ownerCreated = false;
      if (row.ownerIdNumber) owner = parties.get(row.ownerIdNumber);
      else if (current?.owner && current.owner.name === row.ownerName) owner = current.owner;
      if (owner) {
        ownerChanges = this.updateParty(plan, owner, { name: row.ownerName, phone: row.ownerPhone });
      } else {
        owner = this.createParty(plan, {
          kind: partyKindOf(row.ownerName, row.ownerIdNumber),
          name: row.ownerName,
          idNumber: row.ownerIdNumber ?? null,
          phone: row.ownerPhone,
          address: null,
        });
        ownerCreated = true;
        if (owner.idNumber) parties.set(owner.idNumber, owner);
      }

      const fields = {
        ownerPartyId: owner.id,
        enterpriseId,
        transportCertificateNo: row.transportCertificateNo,
        ...(row.axleCount === undefined ? {} : { axleCount: row.axleCount }),
      };
      if (!current) {
        const data = { id: randomUUID(), plate: row.plate, plateColour: row.plateColour, ...fields };
        plan.vehicles.push(data);
        const created = { ...data, enterpriseId, axleCount: row.axleCount ?? null, owner };
        byPlate.set(`${row.plate}|${row.plateColour}`, created);
        certificateHolders.set(row.transportCertificateNo, created);
        outcomes.push({
          status: 'created',
          entityType: 'vehicle',
          entityId: created.id,
          changes: { ...row },
        });
        continue;
      }
      const vehicleChanges = diff(
        {
          ownerPartyId: current.owner?.id ?? null,
          enterpriseId: current.enterpriseId,
          transportCertificateNo: current.transportCertificateNo,
          axleCount: current.axleCount,
        },
        fields,
      );
      if (vehicleChanges) {
        const { id } = current;
        const data = vehicleChanges.after;
        plan.updates.push((tx) => tx.vehicle.update({ where: { id }, data }));
        if (current.transportCertificateNo) certificateHolders.delete(current.transportCertificateNo);
        certificateHolders.set(row.transportCertificateNo, current);
        Object.assign(current, vehicleChanges.after, { owner });
      }
      const changes = merge(
        vehicleChanges,
        prefixed('owner', ownerChanges),
        ownerCreated ? { before: {}, after: { 'owner.created': { name: row.ownerName } } } : null,
      );
      outcomes.push(
        changes
          ? { status: 'updated', entityType: 'vehicle', entityId: current.id, changes }
          : { status: 'unchanged' },
      );
    }
    return applyUnlessRefused(tx, plan, outcomes);
  }

  async upsertDrivers(tx: Tx, rows: DriverRow[]): Promise<RowOutcome[]> {
    const driverSelect = { id: true, idNo: true, qualificationCertificateNo: true } as const;
    const drivers = new Map(
      (
        await tx.driver.findMany({
          where: { idNo: { in: rows.map((r) => r.idNumber) } },
          select: driverSelect,
        })
      ).map((d) => [d.idNo, d]),
    );
    const qualificationHolders = new Map(
      (
        await tx.driver.findMany({
          where: { qualificationCertificateNo: { in: rows.map((r) => r.qualificationCertificateNo) } },
          select: driverSelect,
        })
      ).map((d) => [d.qualificationCertificateNo!, d]),
    );
    const parties = await this.partiesByIdNumber(
      tx,
      rows.map((r) => r.idNumber),
    );

    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      const holder = qualificationHolders.get(row.qualificationCertificateNo);
      if (holder && holder.idNo !== row.idNumber) {
        outcomes.push({
          status: 'refused',
          field: 'qualificationCertificateNo',
          message: 'this qualification certificate number is registered to another driver',
        });
        continue;
      }
      let party = parties.get(row.idNumber);
      let partyChanges: Changes | null = null;
      if (party) partyChanges = this.updateParty(plan, party, { name: row.name, phone: row.phone });
      else {
        party = this.createParty(plan, {
          kind: 'person',
          name: row.name,
          idNumber: row.idNumber,
          phone: row.phone,
          address: null,
        });
        parties.set(row.idNumber, party);
      }
      const current = drivers.get(row.idNumber);
      if (!current) {
        const created = {
          id: randomUUID(),
          partyId: party.id,
          idNo: row.idNumber,
          qualificationCertificateNo: row.qualificationCertificateNo,
        };
        plan.drivers.push(created);
        drivers.set(row.idNumber, created);
        qualificationHolders.set(row.qualificationCertificateNo, created);
        outcomes.push({ status: 'created', entityType: 'driver', entityId: created.id, changes: { ...row } });
        continue;
      }
      const driverChanges = diff(current, { qualificationCertificateNo: row.qualificationCertificateNo });
      if (driverChanges) {
        const { id } = current;
        const data = driverChanges.after;
        plan.updates.push((tx) => tx.driver.update({ where: { id }, data }));
        qualificationHolders.set(row.qualificationCertificateNo, current);
        Object.assign(current, driverChanges.after);
      }
      const changes = merge(driverChanges, prefixed('party', partyChanges));
      outcomes.push(
        changes
          ? { status: 'updated', entityType: 'driver', entityId: current.id, changes }
          : { status: 'unchanged' },
      );
    }
    return applyUnlessRefused(tx, plan, outcomes);
  }

  async upsertSourceUnits(tx: Tx, rows: SourceUnitRow[]): Promise<RowOutcome[]> {
    const parties = await this.partiesByIdNumber(
      tx,
      rows.map((r) => r.socialCreditCode),
    );
    const units = new Map(
      (
        await tx.cargoSourceUnit.findMany({
          where: { party: { idNumber: { in: rows.map((r) => r.socialCreditCode) } } },
          select: { id: true, partyId: true },
        })
      ).map((u) => [u.partyId, u.id]),
    );
    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      let party = parties.get(row.socialCreditCode);
      let partyChanges: Changes | null = null;
      if (party) partyChanges = this.updateParty(plan, party, { name: row.name, address: row.address });
      else {
        party = this.createParty(plan, {
          kind: 'organisation',
          name: row.name,
          idNumber: row.socialCreditCode,
          phone: null,
          address: row.address,
        });
        parties.set(row.socialCreditCode, party);
      }
      const unitId = units.get(party.id);
      if (!unitId) {
        const created = { id: randomUUID(), partyId: party.id };
        plan.sourceUnits.push(created);
        units.set(party.id, created.id);
        outcomes.push({
          status: 'created',
          entityType: 'cargo_source_unit',
          entityId: created.id,
          changes: { ...row },
        });
        continue;
      }
      const changes = prefixed('party', partyChanges);
      outcomes.push(
        changes
          ? { status: 'updated', entityType: 'cargo_source_unit', entityId: unitId, changes }
          : { status: 'unchanged' },
      );
    }
    return applyUnlessRefused(tx, plan, outcomes);
  }
}
