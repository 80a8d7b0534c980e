import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import type { LegalArticle } from '@ecc/legal-domain';
import {
  findLeadToJoin,
  normalisePlate,
  screenDetection,
  type PlateColor,
  type ScreeningOutcome,
} from '@ecc/screening-domain';
import {
  calibrationFor,
  detectionFacts,
  DetectionScreeningRepository,
  deviceFacts,
  evidenceKindsOf,
  IntakeOutboxRepository,
  LeadsRepository,
  permitFacts,
  plateSpellings,
  type DetectionForScreening,
} from '@ecc/screening-data';
import { CLOCK, PRISMA } from '@ecc/platform-nest';
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
}

const ACTOR = systemActor('screening');

/**
 * Screens one accepted detection (DOMAIN.md lifecycle step 2) in one transaction: the outcome on the
 * detection, the lead created or joined, the outbox row processed and the audit event commit together, so a
 * job that runs twice (redelivery after a crash, a sweeper re-enqueue) has its effect exactly once.
 */
@Injectable()
export class ScreenDetectionUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly detections: DetectionScreeningRepository,
    private readonly leads: LeadsRepository,
    private readonly outbox: IntakeOutboxRepository,
    private readonly policy: ScreeningPolicyProvider,
    private readonly catalogue: LegalCatalogueProvider,
  ) {}

  async execute(detectionId: string): Promise<ScreeningReport> {
    const catalogue = await this.catalogue.current();
    return this.prisma.$transaction((tx) => this.screen(tx, detectionId, catalogue), {
      timeout: 30_000,
      maxWait: 30_000,
    });
  }

  private async screen(
    tx: Tx,
    detectionId: string,
    catalogue: readonly LegalArticle[],
  ): Promise<ScreeningReport> {
    const now = this.clock.now();
    const locked = await this.detections.lock(tx, detectionId);
    // Intake enqueues after its commit: a missing row is an error worth retrying, not a silent success.
    if (!locked)
      throw new DomainError('not_found', 'detection_not_found', `detection ${detectionId} does not exist`);
    if (locked.status === 'screened') {
      await this.outbox.markProcessed(tx, detectionId, now);
      return {
        detectionId,
        screenedNow: false,
        outcome: null,
        leadId: null,
        joinedLead: false,
        stationId: null,
        plate: null,
      };
    }
    const detection = (await this.detections.load(tx, detectionId))!;
    const plate = detection.plate ? normalisePlate(detection.plate) : '';
    const policy = await this.policy.at(detection.detectedAt, tx);
    const facts = detectionFacts(detection, detection.station.code, evidenceKindsOf(detection.evidence));
    const input = {
      detection: facts,
      device: this.deviceOf(detection, policy.timeZone),
      permits: [],
      catalogue,
    };
    let result = screenDetection(input, policy);
    // Permits are looked at only past the other rules (screenDetection step 4): they can only excuse what would
    // otherwise be a lead, so most detections, within the limit or invalid, need no permit query.
    if (result.outcome === 'lead') {
      const stored = await this.detections.permitsOf(tx, plateSpellings(detection.plate, facts.trailerPlate));
      if (stored.length > 0) result = screenDetection({ ...input, permits: permitFacts(stored) }, policy);
    }

    let leadId: string | null = null;
    let joinedLead = false;
    let duplicateOfId: string | null = null;
    if (result.outcome === 'lead') {
      // Before reading leads: two detections of one trip are screened one after the other.
      await this.detections.lockTrip(tx, detection.stationId, plate);
      const windowMs = policy.duplicateWindowMinutes * 60_000;
      const at = detection.detectedAt.getTime();
      const trips = await this.leads.tripsNear(
        tx,
        detection.stationId,
        plate,
        new Date(at - windowMs),
        new Date(at + windowMs),
      );
      const join = findLeadToJoin(
        facts,
        trips
          .filter((t) => t.plateColour)
          .map((t) => ({
            ...t,
            stationCode: detection.station.code,
            plate: { number: t.plate, color: t.plateColour as PlateColor },
            firstDetectedAt: t.violationAt,
          })),
        policy,
      );
      if (join) {
        // Same trip (duplicate detections collapsed): the lead keeps the figures of its first detection.
        await this.leads.addDetection(tx, join.id, detectionId);
        leadId = join.id;
        joinedLead = true;
        duplicateOfId = join.firstDetectionId;
      } else {
        leadId = await this.createLead(tx, detection, plate, result);
      }
    }

    await this.detections.recordOutcome(tx, detectionId, {
      outcome: result.outcome,
      reasons: result.reasons,
      rules: result.rules,
      screenedAt: now,
      duplicateOfId,
    });
    await this.outbox.markProcessed(tx, detectionId, now);
    await recordAudit(
      tx,
      {
        actor: ACTOR,
        action: 'detection.screened',
        entityType: 'detection',
        entityId: detectionId,
        changes: {
          outcome: result.outcome,
          reasons: result.reasons.map((r) => r.code),
          limitKg: result.limitKg,
          toleranceKg: result.toleranceKg,
          excessKg: result.excessKg,
          leadId,
          joinedLead,
        },
      },
      now,
    );
    return {
      detectionId,
      screenedNow: true,
      outcome: result.outcome,
      leadId,
      joinedLead,
      stationId: detection.stationId,
      plate,
    };
  }

  private async createLead(
    tx: Tx,
    detection: DetectionForScreening,
    plate: string,
    result: ReturnType<typeof screenDetection>,
  ): Promise<string> {
    const vehicle = await this.detections.vehicleOf(
      tx,
      plateSpellings(detection.plate),
      detection.plateColour,
    );
    // The rules return a penalty with every lead; a lead without one would be a defect of the rules.
    const penalty = result.proposedPenalty!;
    const lead = {
      stationId: detection.stationId,
      vehicleId: vehicle?.id ?? null,
      // 车主信息不明: nobody to notify until the registry knows the vehicle and its owner.
      ownerUnknown: !vehicle?.ownerPartyId,
      plate,
      plateColour: detection.plateColour,
      violationAt: detection.detectedAt,
      axleCount: detection.axleCount,
      grossMassKg: detection.grossMassKg,
      limitKg: result.limitKg!,
      toleranceKg: result.toleranceKg!,
      excessKg: result.excessKg!,
      penalty,
      reasons: result.reasons,
      rules: result.rules,
    };
    const leadId = await this.leads.create(tx, lead, detection.id);
    await recordAudit(tx, {
      actor: ACTOR,
      action: 'lead.created',
      entityType: 'lead',
      entityId: leadId,
      changes: {
        detectionId: detection.id,
        plate,
        limitKg: lead.limitKg,
        toleranceKg: lead.toleranceKg,
        excessKg: lead.excessKg,
        proposedPenalty: { kind: penalty.kind, amountYuan: penalty.amountYuan, basis: penalty.basis },
        vehicleId: lead.vehicleId,
        ownerUnknown: lead.ownerUnknown,
      },
    });
    return leadId;
  }

  private deviceOf(detection: DetectionForScreening, timeZone: string) {
    const device = detection.device;
    const claimed = (detection.raw as { deviceCode?: unknown } | null)?.deviceCode;
    return deviceFacts(
      device,
      device ? calibrationFor(device.certificates, detection.detectedAt, timeZone) : null,
      typeof claimed === 'string' ? claimed : '(unknown)',
    );
  }
}
