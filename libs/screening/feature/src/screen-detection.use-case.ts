import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { DomainError, normalisePlate, type Clock, type PlateColour } from '@ecc/shared-kernel';
import { auditRow, type AuditEntry, type AuditRowValues } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import type { LegalArticle } from '@ecc/legal-domain';
import {
  findLeadToJoin,
  awaitsEvidence,
  screenDetection,
  type DetectionFacts,
  type ScreeningInput,
  type ScreeningOutcome,
  type ScreeningPolicy,
  type ScreeningResult,
} from '@ecc/screening-domain';
import {
  calibrationFor,
  detectionFacts,
  DetectionScreeningRepository,
  deviceFacts,
  evidenceKindsOf,
  permitFacts,
  plateSpellings,
  tripLockKey,
  type DetectionForScreening,
  type LeadTripRow,
  type NewLeadRow,
  type ScreeningDb,
  type ScreeningWrites,
} from '@ecc/screening-data';
import { CLOCK, PRISMA, recordScreening } from '@ecc/platform-nest';
import { LegalCatalogueProvider } from './legal-catalogue.provider';
import { ScreeningPolicyProvider } from './screening-policy.provider';

/**
 * What screening did. Later steps hook in here (issue 4's electronic fence raises an interception alert
 * when a screened detection's plate is on a watch list): the caller gets the outcome and the lead.
 */
export interface ScreeningReport {
  detectionId: string;
  /** False when the detection had already been screened: nothing was changed. */
  screenedNow: boolean;
  outcome: ScreeningOutcome | null;
  leadId: string | null;
  /** The detection joined an existing lead (same trip) rather than creating one. */
  joinedLead: boolean;
  stationId: string | null;
  plate: string | null;
  /**
   * Held back: it lacks only required evidence and the policy's grace since its receipt still runs. Nothing was
   * written; the outbox sweeper screens it again, as does the upload of its evidence.
   */
  awaitingEvidence?: boolean;
}

/** Per detection: its report, or why it could not be screened (the others of the transaction still are). */
export type ScreeningResultOf = { report: ScreeningReport } | { error: Error };

const ACTOR = systemActor('screening');

/** A detection under screening within one transaction. */
interface Pending {
  row: DetectionForScreening;
  plate: string;
  facts: DetectionFacts;
  input: ScreeningInput;
  policy: ScreeningPolicy;
  result: ScreeningResult;
  leadId: string | null;
  joinedLead: boolean;
  duplicateOfId: string | null;
  newLead: NewLeadRow | null;
}

/**
 * Screens accepted detections (automatic screening, the step before officer review) in one transaction: the outcome on each detection,
 * the lead created or joined, the outbox row processed and the audit events commit together, so a job that
 * runs twice (redelivery after a crash, a sweeper re-enqueue) has its effect exactly once. Whatever the
 * number of detections, they are row-locked in one statement, read in one and everything is written in one
 * more; leads add two (the trip locks with permits and vehicles, then the open trips).
 */
@Injectable()
export class ScreenDetectionUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly detections: DetectionScreeningRepository,
    private readonly policy: ScreeningPolicyProvider,
    private readonly catalogue: LegalCatalogueProvider,
  ) {}

  async execute(detectionId: string): Promise<ScreeningReport> {
    const outcome = (await this.executeMany([detectionId])).get(detectionId)!;
    if ('error' in outcome) throw outcome.error;
    return outcome.report;
  }

  /**
   * Screens several detections in one transaction. A detection that cannot be screened (missing, a policy
   * that does not parse) gets its error and the others are screened; an error of the transaction itself
   * (a lost connection, a deadlock) rejects the whole call, with nothing written.
   */
  async executeMany(detectionIds: readonly string[]): Promise<Map<string, ScreeningResultOf>> {
    const catalogue = await this.catalogue.current();
    const screened: Pending[] = [];
    const results = await this.detections.transaction(this.prisma, (db) =>
      this.screen(db, [...new Set(detectionIds)], catalogue, screened),
    );
    // Counted once committed (ecc_screenings_total, ecc_screening_lag_seconds).
    const at = this.clock.now();
    for (const p of screened) recordScreening(p.result.outcome, p.row.receivedAt, at);
    return results;
  }

  private async screen(
    tx: ScreeningDb,
    ids: string[],
    catalogue: readonly LegalArticle[],
    screened: Pending[],
  ): Promise<Map<string, ScreeningResultOf>> {
    const now = this.clock.now();
    const out = new Map<string, ScreeningResultOf>();
    const status = await this.detections.lock(tx, ids);
    const open = ids.filter((id) => status.has(id) && status.get(id) !== 'screened');
    const byId = new Map((open.length > 0 ? await this.detections.load(tx, open) : []).map((r) => [r.id, r]));
    const pending: Pending[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (status.get(id) === 'screened') {
        out.set(id, { report: unchanged(id) });
      } else if (!row) {
        // Intake enqueues after its commit: a missing row is an error worth retrying, not a silent success.
        out.set(id, {
          error: new DomainError('not_found', 'detection_not_found', `detection ${id} does not exist`),
        });
      } else {
        try {
          const judged = await this.judge(tx, row, catalogue);
          if (awaitsEvidence(judged.result, row.receivedAt, now, judged.policy)) {
            out.set(id, { report: { ...unchanged(id), awaitingEvidence: true } });
          } else {
            pending.push(judged);
          }
        } catch (error) {
          out.set(id, { error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
    }

    const leads = pending.filter((p) => p.result.outcome === 'lead');
    if (leads.length > 0) await this.resolveLeads(tx, leads);

    const writes: ScreeningWrites = {
      screenedAt: now,
      outcomes: [],
      leads: [],
      links: [],
      processed: ids.filter((id) => status.get(id) === 'screened'),
      audits: [],
    };
    for (const p of pending) {
      const { result, row } = p;
      if (p.newLead) {
        writes.leads.push(p.newLead);
        writes.audits.push(this.leadCreatedAudit(p, p.newLead));
      }
      if (p.leadId) writes.links.push({ leadId: p.leadId, detectionId: row.id });
      writes.outcomes.push({
        detectionId: row.id,
        outcome: result.outcome,
        reasons: result.reasons,
        rules: result.rules,
        duplicateOfId: p.duplicateOfId,
      });
      writes.processed.push(row.id);
      writes.audits.push(
        audit(
          {
            actor: ACTOR,
            action: 'detection.screened',
            entityType: 'detection',
            entityId: row.id,
            changes: {
              outcome: result.outcome,
              reasons: result.reasons.map((r) => r.code),
              limitKg: result.limitKg,
              toleranceKg: result.toleranceKg,
              excessKg: result.excessKg,
              leadId: p.leadId,
              joinedLead: p.joinedLead,
            },
          },
          now,
        ),
      );
      out.set(row.id, {
        report: {
          detectionId: row.id,
          screenedNow: true,
          outcome: result.outcome,
          leadId: p.leadId,
          joinedLead: p.joinedLead,
          stationId: row.stationId,
          plate: p.plate,
        },
      });
    }
    if (writes.processed.length > 0) await this.detections.write(tx, writes);
    screened.push(...pending);
    return out;
  }

  /** The rules on one detection, without permits (they are looked at only for what would be a lead). */
  private async judge(
    tx: ScreeningDb,
    row: DetectionForScreening,
    catalogue: readonly LegalArticle[],
  ): Promise<Pending> {
    // The policy in force when the vehicle passed.
    const policy = await this.policy.at(row.detectedAt, () =>
      this.detections.policyVersions(tx, 'screening'),
    );
    const facts = detectionFacts(row, row.stationCode, evidenceKindsOf(row.evidence));
    const claimed = (row.raw as { deviceCode?: unknown } | null)?.deviceCode;
    const device = deviceFacts(
      row.device,
      row.device ? calibrationFor(row.device.certificates, row.detectedAt, policy.timeZone) : null,
      typeof claimed === 'string' ? claimed : '(unknown)',
    );
    const input: ScreeningInput = { detection: facts, device, permits: [], catalogue };
    return {
      row,
      plate: row.plate ? normalisePlate(row.plate) : '',
      facts,
      input,
      policy,
      result: screenDetection(input, policy),
      leadId: null,
      joinedLead: false,
      duplicateOfId: null,
      newLead: null,
    };
  }

  /**
   * What would be leads: permits may still excuse them (screenDetection step 4); the rest create or join a
   * lead under the trip locks, earliest detection first, so detections of one trip in this transaction
   * collapse into one lead as they would one after the other.
   */
  private async resolveLeads(tx: ScreeningDb, candidates: Pending[]): Promise<void> {
    const permitPlates = new Set<string>();
    const vehiclePlates = new Set<string>();
    for (const p of candidates) {
      for (const s of plateSpellings(p.row.plate, p.facts.trailerPlate)) permitPlates.add(s);
      if (p.row.plateColour) for (const s of plateSpellings(p.row.plate)) vehiclePlates.add(s);
    }
    // Before reading leads: two detections of one trip are screened one after the other.
    const { permits, vehicles } = await this.detections.lockTripsAndRead(
      tx,
      candidates.map((p) => tripLockKey(p.row.stationId, p.plate)),
      [...permitPlates],
      [...vehiclePlates],
    );
    const leads: Pending[] = [];
    for (const p of candidates) {
      const spellings = plateSpellings(p.row.plate, p.facts.trailerPlate);
      const stored = permits.filter((x) => spellings.includes(x.plate));
      if (stored.length > 0)
        p.result = screenDetection({ ...p.input, permits: permitFacts(stored) }, p.policy);
      if (p.result.outcome === 'lead') leads.push(p);
    }
    if (leads.length === 0) return;

    const windowOf = (p: Pending) => p.policy.duplicateWindowMinutes * 60_000;
    const stored = await this.detections.tripsNear(
      tx,
      leads.map((p) => ({
        stationId: p.row.stationId,
        plate: p.plate,
        from: new Date(p.row.detectedAt.getTime() - windowOf(p)),
        to: new Date(p.row.detectedAt.getTime() + windowOf(p)),
      })),
    );
    const trips = new Map<string, LeadTripRow[]>();
    const tripsOf = (stationId: string, plate: string) => {
      const key = tripLockKey(stationId, plate);
      if (!trips.has(key)) trips.set(key, []);
      return trips.get(key)!;
    };
    for (const t of stored) tripsOf(t.stationId, t.plate).push(t);

    leads.sort(
      (a, b) => a.row.detectedAt.getTime() - b.row.detectedAt.getTime() || (a.row.id < b.row.id ? -1 : 1),
    );
    for (const p of leads) {
      const at = p.row.detectedAt.getTime();
      const own = tripsOf(p.row.stationId, p.plate);
      const join = findLeadToJoin(
        p.facts,
        own
          .filter((t) => t.plateColour && Math.abs(t.violationAt.getTime() - at) <= windowOf(p))
          .map((t) => ({
            ...t,
            stationCode: p.row.stationCode,
            plate: { number: t.plate, color: t.plateColour as PlateColour },
            firstDetectedAt: t.violationAt,
          })),
        p.policy,
      );
      if (join) {
        // Same trip (duplicate detections collapsed): the lead keeps the figures of its first detection.
        p.leadId = join.id;
        p.joinedLead = true;
        p.duplicateOfId =
          [...join.detections].sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime())[0]?.id ?? null;
        join.detections.push({ id: p.row.id, detectedAt: p.row.detectedAt });
      } else {
        p.newLead = this.newLead(p, vehicles);
        p.leadId = p.newLead.id;
        own.push({
          id: p.newLead.id,
          stationId: p.row.stationId,
          plate: p.plate,
          plateColour: p.row.plateColour,
          violationAt: p.row.detectedAt,
          detections: [{ id: p.row.id, detectedAt: p.row.detectedAt }],
        });
      }
    }
  }

  private newLead(
    p: Pending,
    vehicles: { id: string; plate: string; plateColour: string; ownerPartyId: string | null }[],
  ): NewLeadRow {
    const { row, result } = p;
    const spellings = plateSpellings(row.plate);
    const vehicle = row.plateColour
      ? vehicles.find((v) => spellings.includes(v.plate) && v.plateColour === row.plateColour)
      : undefined;
    // The rules return a penalty with every lead; a lead without one would be a defect of the rules.
    const penalty = result.proposedPenalty!;
    return {
      id: randomUUID(),
      stationId: row.stationId,
      vehicleId: vehicle?.id ?? null,
      // 车主信息不明: nobody to notify until the registry knows the vehicle and its owner.
      ownerUnknown: !vehicle?.ownerPartyId,
      plate: p.plate,
      plateColour: row.plateColour,
      violationAt: row.detectedAt,
      axleCount: row.axleCount,
      grossMassKg: row.grossMassKg,
      limitKg: result.limitKg!,
      toleranceKg: result.toleranceKg!,
      excessKg: result.excessKg!,
      penaltyKind: penalty.kind,
      amountYuan: penalty.amountYuan,
      basis: { basis: penalty.basis, parts: penalty.parts, reasons: result.reasons },
      rules: result.rules,
    };
  }

  private leadCreatedAudit(p: Pending, lead: NewLeadRow): AuditRowValues {
    const penalty = p.result.proposedPenalty!;
    return audit(
      {
        actor: ACTOR,
        action: 'lead.created',
        entityType: 'lead',
        entityId: lead.id,
        changes: {
          detectionId: p.row.id,
          plate: lead.plate,
          limitKg: lead.limitKg,
          toleranceKg: lead.toleranceKg,
          excessKg: lead.excessKg,
          proposedPenalty: { kind: penalty.kind, amountYuan: penalty.amountYuan, basis: penalty.basis },
          vehicleId: lead.vehicleId,
          ownerUnknown: lead.ownerUnknown,
        },
      },
      new Date(),
    );
  }
}

/** The audit row's values exactly as recordAudit would write them. */
const audit = (entry: AuditEntry, at: Date): AuditRowValues => auditRow(entry, at).data;

/** The report of a detection found screened already: nothing was changed. */
export const unchanged = (detectionId: string): ScreeningReport => ({
  detectionId,
  screenedNow: false,
  outcome: null,
  leadId: null,
  joinedLead: false,
  stationId: null,
  plate: null,
});
