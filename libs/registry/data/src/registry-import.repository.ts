import { randomUUID } from 'node:crypto';
import type { PartyKind, Prisma, Tx } from '@ecc/shared-data';
import type { IsoDate } from '@ecc/shared-kernel';
import {
  divisionCodeOfCreditCode,
  partyKindOf,
  type DriverRow,
  type EnterpriseRow,
  type SourceUnitRow,
  type VehicleRow,
} from '@ecc/registry-domain';
import { dateColumn, dateColumnOrNull, isoDateOf } from './dates';

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

  /**
   * The party of an identity number (one legal person, one party, whatever roles it holds): the one known by
   * it, brought up to date, or a new one. `parties` is the file's shared map, so later rows find it too.
   */
  private partyOf(
    plan: WritePlan,
    parties: Map<string, PartyState>,
    idNumber: string,
    data: Pick<PartyState, 'kind' | 'name'> & Partial<Pick<PartyState, 'phone' | 'address'>>,
  ): { party: PartyState; changes: Changes | null; created: boolean } {
    const { kind, ...contact } = data;
    const known = parties.get(idNumber);
    if (known) return { party: known, changes: this.updateParty(plan, known, contact), created: false };
    const party = this.createParty(plan, {
      kind,
      idNumber,
      phone: null,
      address: null,
      ...contact,
    });
    parties.set(idNumber, party);
    return { party, changes: null, created: true };
  }

  /**
   * The party of an enterprise registered before it carried its credit code: the party already known by that
   * code (a vehicle owner, a source unit) becomes the enterprise's, so that one legal person is one party;
   * else the enterprise's own party takes the code. A party of another code is not silently replaced.
   */
  private linkEnterpriseParty(
    plan: WritePlan,
    current: { id: string; party: PartyState },
    code: string,
    parties: Map<string, PartyState>,
  ): { changes: Changes | null } | { refused: RowOutcome } {
    if (current.party.idNumber === code) return { changes: null };
    if (current.party.idNumber) {
      return {
        refused: {
          status: 'refused',
          field: 'socialCreditCode',
          message: 'this licence is registered to an enterprise with another unified social credit code',
        },
      };
    }
    const known = parties.get(code);
    if (known) {
      const { id } = current;
      const partyId = known.id;
      plan.updates.push((tx) => tx.enterprise.update({ where: { id }, data: { partyId } }));
      const changes = { before: { partyId: current.party.id }, after: { partyId } };
      current.party = known;
      return { changes };
    }
    const partyId = current.party.id;
    plan.updates.push((tx) => tx.party.update({ where: { id: partyId }, data: { idNumber: code } }));
    current.party.idNumber = code;
    parties.set(code, current.party);
    return { changes: { before: { idNumber: null }, after: { idNumber: code } } };
  }

  async upsertEnterprises(tx: Tx, rows: EnterpriseRow[], today: IsoDate): Promise<RowOutcome[]> {
    const existing = await tx.enterprise.findMany({
      where: { licenceNo: { in: rows.map((r) => r.licenceNo) } },
      select: {
        id: true,
        licenceNo: true,
        fleetSize: true,
        registrationDivisionCode: true,
        licenceFirstIssuedOn: true,
        party: { select: partySelect },
        fleetSizes: { select: { id: true, fleetSize: true, effectiveFrom: true } },
      },
    });
    const byLicence = new Map(existing.map((e) => [e.licenceNo, e]));
    // The legal person behind each code may already be a party: the owner of vehicles, a source unit.
    const parties = await this.partiesByIdNumber(
      tx,
      rows.map((r) => r.socialCreditCode),
    );
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
      const registration = {
        registrationDivisionCode:
          row.registrationDivisionCode ?? divisionCodeOfCreditCode(row.socialCreditCode),
        licenceFirstIssuedOn: row.licenceFirstIssuedOn ?? null,
      };
      if (!current) {
        const { party } = this.partyOf(plan, parties, row.socialCreditCode, {
          kind: 'organisation',
          name: row.name,
          phone: row.contactPhone,
        });
        const created = { id: randomUUID() };
        plan.enterprises.push({
          id: created.id,
          partyId: party.id,
          licenceNo: row.licenceNo,
          fleetSize: row.fleetSize,
          registrationDivisionCode: registration.registrationDivisionCode,
          licenceFirstIssuedOn: dateColumnOrNull(registration.licenceFirstIssuedOn),
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
      const linked = this.linkEnterpriseParty(plan, current, row.socialCreditCode, parties);
      if ('refused' in linked) {
        outcomes.push(linked.refused);
        continue;
      }
      const partyChanges = merge(
        linked.changes,
        this.updateParty(plan, current.party, { name: row.name, phone: row.contactPhone }),
      );
      const registrationChanges = diff(
        {
          registrationDivisionCode: current.registrationDivisionCode,
          licenceFirstIssuedOn: current.licenceFirstIssuedOn ? isoDateOf(current.licenceFirstIssuedOn) : null,
        },
        { ...registration, licenceFirstIssuedOn: registration.licenceFirstIssuedOn ?? undefined },
      );
      if (registrationChanges) {
        const { id } = current;
        const data = registrationChanges.after;
        plan.updates.push((tx) =>
          tx.enterprise.update({
            where: { id },
            data: {
              ...data,
              ...('licenceFirstIssuedOn' in data
                ? { licenceFirstIssuedOn: dateColumnOrNull(data['licenceFirstIssuedOn'] as string) }
                : {}),
            },
          }),
        );
      }

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
      const changes = merge(
        prefixed('party', partyChanges),
        historyChanges,
        sizeChanges,
        registrationChanges,
      );
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
          select: { id: true, licenceNo: true, registrationDivisionCode: true },
        })
      ).map((e) => [e.licenceNo, e]),
    );
    const vehicleSelect = {
      id: true,
      plate: true,
      plateColour: true,
      enterpriseId: true,
      transportCertificateNo: true,
      axleCount: true,
      registrationDivisionCode: true,
      certificateFirstIssuedOn: true,
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
      rows.map((r) => r.ownerIdNumber),
    );

    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      const enterprise = enterprises.get(row.enterpriseLicenceNo);
      const enterpriseId = enterprise?.id;
      if (!enterprise || !enterpriseId) {
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

      // The owner: the party of that identity number, whatever else it is (the enterprise, a source unit).
      const {
        party: owner,
        changes: ownerChanges,
        created: ownerCreated,
      } = this.partyOf(plan, parties, row.ownerIdNumber, {
        kind: partyKindOf(row.ownerName, row.ownerIdNumber),
        name: row.ownerName,
        phone: row.ownerPhone,
      });

      // The 道路运输证 is issued to the operator: where it is not stated, the enterprise's division.
      const fields = {
        ownerPartyId: owner.id,
        enterpriseId,
        transportCertificateNo: row.transportCertificateNo,
        registrationDivisionCode: row.registrationDivisionCode ?? enterprise.registrationDivisionCode,
        ...(row.axleCount === undefined ? {} : { axleCount: row.axleCount }),
        ...(row.certificateFirstIssuedOn === undefined
          ? {}
          : { certificateFirstIssuedOn: row.certificateFirstIssuedOn }),
      };
      const columns = ({ certificateFirstIssuedOn, ...rest }: Record<string, unknown>) => ({
        ...rest,
        ...(certificateFirstIssuedOn === undefined
          ? {}
          : { certificateFirstIssuedOn: dateColumnOrNull(certificateFirstIssuedOn as string) }),
      });
      if (!current) {
        const data = {
          id: randomUUID(),
          plate: row.plate,
          plateColour: row.plateColour,
          ...(columns(fields) as typeof fields & { certificateFirstIssuedOn?: Date | null }),
        };
        plan.vehicles.push(data);
        const created = {
          ...data,
          enterpriseId,
          axleCount: row.axleCount ?? null,
          registrationDivisionCode: fields.registrationDivisionCode,
          certificateFirstIssuedOn: data.certificateFirstIssuedOn ?? null,
          owner,
        };
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
          registrationDivisionCode: current.registrationDivisionCode,
          certificateFirstIssuedOn: current.certificateFirstIssuedOn
            ? isoDateOf(current.certificateFirstIssuedOn)
            : null,
        },
        fields,
      );
      if (vehicleChanges) {
        const { id } = current;
        const data = columns(vehicleChanges.after);
        plan.updates.push((tx) => tx.vehicle.update({ where: { id }, data }));
        if (current.transportCertificateNo) certificateHolders.delete(current.transportCertificateNo);
        certificateHolders.set(row.transportCertificateNo, current);
        Object.assign(current, data, { owner });
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
    const driverSelect = {
      id: true,
      idNo: true,
      qualificationCertificateNo: true,
      registrationDivisionCode: true,
      qualificationFirstIssuedOn: true,
      homeAuthority: true,
    } as const;
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
      const { party, changes: partyChanges } = this.partyOf(plan, parties, row.idNumber, {
        kind: 'person',
        name: row.name,
        phone: row.phone,
      });
      const current = drivers.get(row.idNumber);
      const registration = {
        registrationDivisionCode: row.registrationDivisionCode,
        qualificationFirstIssuedOn: row.qualificationFirstIssuedOn,
        homeAuthority: row.homeAuthority,
      };
      if (!current) {
        const created = {
          id: randomUUID(),
          partyId: party.id,
          idNo: row.idNumber,
          qualificationCertificateNo: row.qualificationCertificateNo,
          registrationDivisionCode: row.registrationDivisionCode ?? null,
          qualificationFirstIssuedOn: dateColumnOrNull(row.qualificationFirstIssuedOn),
          homeAuthority: row.homeAuthority ?? null,
        };
        plan.drivers.push(created);
        drivers.set(row.idNumber, created);
        qualificationHolders.set(row.qualificationCertificateNo, created);
        outcomes.push({ status: 'created', entityType: 'driver', entityId: created.id, changes: { ...row } });
        continue;
      }
      const driverChanges = diff(
        {
          ...current,
          qualificationFirstIssuedOn: current.qualificationFirstIssuedOn
            ? isoDateOf(current.qualificationFirstIssuedOn)
            : null,
        },
        { qualificationCertificateNo: row.qualificationCertificateNo, ...registration },
      );
      if (driverChanges) {
        const { id } = current;
        const { qualificationFirstIssuedOn, ...rest } = driverChanges.after;
        const data = {
          ...rest,
          ...(qualificationFirstIssuedOn === undefined
            ? {}
            : { qualificationFirstIssuedOn: dateColumnOrNull(qualificationFirstIssuedOn as string) }),
        };
        plan.updates.push((tx) => tx.driver.update({ where: { id }, data }));
        qualificationHolders.set(row.qualificationCertificateNo, current);
        Object.assign(current, data);
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
          select: { id: true, partyId: true, siteDivisionCode: true },
        })
      ).map((u) => [u.partyId, { id: u.id, siteDivisionCode: u.siteDivisionCode }]),
    );
    const plan = new WritePlan();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      const { party, changes: partyChanges } = this.partyOf(plan, parties, row.socialCreditCode, {
        kind: 'organisation',
        name: row.name,
        address: row.address,
      });
      const unit = units.get(party.id);
      if (!unit) {
        const created = {
          id: randomUUID(),
          partyId: party.id,
          siteDivisionCode: row.siteDivisionCode ?? null,
        };
        plan.sourceUnits.push(created);
        units.set(party.id, created);
        outcomes.push({
          status: 'created',
          entityType: 'cargo_source_unit',
          entityId: created.id,
          changes: { ...row },
        });
        continue;
      }
      // A row without the site keeps the one on file (as the other optional registrations do).
      const unitChanges = diff(unit, { siteDivisionCode: row.siteDivisionCode });
      if (unitChanges) {
        const { id } = unit;
        const data = { siteDivisionCode: row.siteDivisionCode ?? null };
        plan.updates.push((tx) => tx.cargoSourceUnit.update({ where: { id }, data }));
        Object.assign(unit, data);
      }
      const changes = merge(unitChanges, prefixed('party', partyChanges));
      outcomes.push(
        changes
          ? { status: 'updated', entityType: 'cargo_source_unit', entityId: unit.id, changes }
          : { status: 'unchanged' },
      );
    }
    return applyUnlessRefused(tx, plan, outcomes);
  }
}
