import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import type { AppliedRule, ScreeningOutcome, ScreeningReason } from '@ecc/screening-domain';

const detectionForScreening = {
  station: { select: { id: true, code: true } },
  device: {
    select: {
      code: true,
      accuracyClass: true,
      tolerancePercent: true,
      legalReviewDate: true,
      technicalReviewDate: true,
      publishedDate: true,
      certificates: { select: { certificateNo: true, validFrom: true, validTo: true } },
    },
  },
  evidence: { select: { kind: true, integrityStatus: true } },
} satisfies Prisma.DetectionInclude;

export type DetectionForScreening = Prisma.DetectionGetPayload<{ include: typeof detectionForScreening }>;

/** What screening reads and writes of a detection, always inside the screening transaction. */
export class DetectionScreeningRepository {
  /**
   * Locks the detection row for the rest of the transaction: a job run twice (redelivery, sweeper) waits
   * here and then sees the detection screened. Null when it does not exist.
   */
  async lock(tx: Tx, detectionId: string): Promise<{ status: string } | null> {
    const rows = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM detections WHERE id = ${detectionId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  /**
   * Serialises screening of one vehicle at one station (until commit), so that two detections of the same
   * trip screened at once cannot both find no lead and create two.
   */
  async lockTrip(tx: Tx, stationId: string, plate: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`screening:${stationId}:${plate}`}))`;
  }

  load(tx: Tx, detectionId: string): Promise<DetectionForScreening | null> {
    return tx.detection.findUnique({ where: { id: detectionId }, include: detectionForScreening });
  }

  permitsOf(tx: Tx, plates: string[]) {
    return tx.oversizePermit.findMany({
      where: { plate: { in: plates } },
      select: { permitNo: true, plate: true, validFrom: true, validTo: true, maxGrossMassKg: true },
    });
  }

  vehicleOf(tx: Tx, plates: string[], plateColour: string | null) {
    if (!plateColour) return Promise.resolve(null);
    return tx.vehicle.findFirst({
      where: { plate: { in: plates }, plateColour: plateColour as never },
      select: { id: true, ownerPartyId: true },
    });
  }

  async recordOutcome(
    tx: Tx,
    detectionId: string,
    result: {
      outcome: ScreeningOutcome;
      reasons: ScreeningReason[];
      rules: AppliedRule[];
      screenedAt: Date;
      duplicateOfId?: string | null;
    },
  ): Promise<void> {
    await tx.detection.update({
      where: { id: detectionId },
      data: {
        status: 'screened',
        outcome: result.outcome,
        reasons: json(result.reasons),
        rules: json(result.rules),
        screenedAt: result.screenedAt,
        duplicateOfId: result.duplicateOfId ?? null,
      },
    });
  }
}

/** Plain JSON for a Json column (drops undefined, as the audit trail does). */
export const json = (value: unknown): Prisma.InputJsonValue =>
  JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

export type { PrismaClient };
