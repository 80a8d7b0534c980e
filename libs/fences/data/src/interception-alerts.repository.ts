import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { Prisma, uuidv7Floor, type PrismaClient, type Tx } from '@ecc/shared-data';
import type { AlertStatus, InterceptionAlertView, ListAlertsQuery } from '@ecc/fences-domain';

const include = {
  fence: { select: { id: true, leadId: true, caseId: true, plate: true, plateColour: true } },
  detection: {
    select: {
      id: true,
      plate: true,
      plateColour: true,
      detectedAt: true,
      station: { select: { id: true, code: true, name: true } },
    },
  },
} as const;

type AlertWithRelations = {
  id: string;
  status: AlertStatus;
  raisedAt: Date;
  acknowledgedById: string | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
  fence: {
    id: string;
    leadId: string | null;
    caseId: string | null;
    plate: string;
    plateColour: string | null;
  };
  detection: {
    id: string;
    plate: string;
    plateColour: string | null;
    detectedAt: Date;
    station: { id: string; code: string; name: string };
  };
};

const view = (a: AlertWithRelations): InterceptionAlertView => ({
  id: a.id,
  status: a.status,
  raisedAt: a.raisedAt.toISOString(),
  plate: a.detection.plate,
  plateColour: a.detection.plateColour ?? a.fence.plateColour,
  station: a.detection.station,
  detectionId: a.detection.id,
  detectedAt: a.detection.detectedAt.toISOString(),
  fenceId: a.fence.id,
  leadId: a.fence.leadId,
  caseId: a.fence.caseId,
  acknowledgedById: a.acknowledgedById,
  acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
  resolution: a.resolution,
});

type RaisedRow = { id: string; fence_id: string; detection_id: string };

/** 拦截预警: alerts raised when a fenced vehicle is detected again. */
export class InterceptionAlertsRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * One alert per active fence matching the detection's plate (and colour, when both are known), written
   * with its audit event in one transaction. Idempotent on (fence, detection): a repeat raises nothing.
   */
  async raiseForDetection(detectionId: string, at: Date): Promise<InterceptionAlertView[]> {
    return this.raise(
      at,
      (tx) => tx.$queryRaw<RaisedRow[]>`
        INSERT INTO interception_alerts (id, fence_id, detection_id, status, raised_at)
        SELECT gen_random_uuid(), f.id, d.id, 'open', ${at}::timestamptz
          FROM detections d
          JOIN fences f ON f.plate = d.plate AND f.status = 'active'
           AND (f.plate_colour IS NULL OR d.plate_colour IS NULL OR f.plate_colour = d.plate_colour)
         WHERE d.id = ${detectionId}::uuid
        ON CONFLICT (fence_id, detection_id) DO NOTHING
        RETURNING id, fence_id, detection_id`,
      'intake',
    );
  }

  /**
   * The safety net of the check each API runs after a detection's commit (an API that dies in between, or
   * whose watch list has not learnt a fence yet, raises nothing): alerts for the detections received in
   * [since, until) whose plate had an active fence when they arrived and that have none for it yet.
   */
  async raiseMissed(at: Date, since: Date, until: Date): Promise<InterceptionAlertView[]> {
    return this.raise(
      at,
      (tx) => tx.$queryRaw<RaisedRow[]>(missedAlertsStatement(at, since, until)),
      'sweep',
    );
  }

  /** Inserts alerts and their audit events in one transaction; returns the new alerts with their relations. */
  private async raise(
    at: Date,
    insert: (tx: Tx) => Promise<RaisedRow[]>,
    via: 'intake' | 'sweep',
  ): Promise<InterceptionAlertView[]> {
    const ids = await this.db.$transaction(async (tx) => {
      const raised = await insert(tx);
      for (const r of raised) {
        await recordAudit(
          tx,
          {
            actor: systemActor('interception'),
            action: 'interception_alert.raised',
            entityType: 'interception_alert',
            entityId: r.id,
            changes: { fenceId: r.fence_id, detectionId: r.detection_id, via },
          },
          at,
        );
      }
      return raised.map((r) => r.id);
    });
    if (ids.length === 0) return [];
    const rows = await this.db.interceptionAlert.findMany({ where: { id: { in: ids } }, include });
    return rows.map(view);
  }

  async list(query: ListAlertsQuery): Promise<InterceptionAlertView[]> {
    const rows = await this.db.interceptionAlert.findMany({
      where: {
        ...(query.status ? { status: query.status } : {}),
        ...(query.leadId || query.caseId
          ? {
              fence: {
                ...(query.leadId ? { leadId: query.leadId } : {}),
                ...(query.caseId ? { caseId: query.caseId } : {}),
              },
            }
          : {}),
      },
      include,
      orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(view);
  }

  async find(id: string, db: Tx | PrismaClient = this.db): Promise<InterceptionAlertView | null> {
    const row = await db.interceptionAlert.findUnique({ where: { id }, include });
    return row ? view(row) : null;
  }

  async lock(tx: Tx, id: string): Promise<InterceptionAlertView | null> {
    await tx.$queryRaw`SELECT id FROM interception_alerts WHERE id = ${id}::uuid FOR UPDATE`;
    return this.find(id, tx);
  }

  async acknowledge(tx: Tx, id: string, userId: string, at: Date): Promise<void> {
    await tx.interceptionAlert.update({
      where: { id },
      data: { status: 'acknowledged', acknowledgedById: userId, acknowledgedAt: at },
    });
  }

  async resolve(tx: Tx, id: string, resolution: string, at: Date): Promise<void> {
    await tx.interceptionAlert.update({
      where: { id },
      data: { status: 'resolved', resolution, resolvedAt: at },
    });
  }

  /** Alerts of the fences of a lead or case, oldest first. */
  async ofFences(fenceIds: string[]): Promise<InterceptionAlertView[]> {
    const rows = await this.db.interceptionAlert.findMany({
      where: { fenceId: { in: fenceIds } },
      include,
      orderBy: { raisedAt: 'asc' },
    });
    return rows.map(view);
  }
}

/**
 * The sweep's statement (InterceptionAlertsRepository.raiseMissed), driven from the few active fences through the
 * (plate, detected_at) index. `detections` is partitioned by month of id, and an id is a UUIDv7 of the receipt's
 * millisecond (shared-data's uuidv7, via intake's newDetectionId), so [since, until) of receipt is also [floor(since), floor(until)) of id:
 * the bounds on the id let the planner read the one or two months they fall in, not every month kept.
 */
export function missedAlertsStatement(at: Date, since: Date, until: Date): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO interception_alerts (id, fence_id, detection_id, status, raised_at)
    SELECT gen_random_uuid(), f.id, d.id, 'open', ${at}::timestamptz
      FROM fences f
      JOIN detections d ON d.plate = f.plate
       AND (f.plate_colour IS NULL OR d.plate_colour IS NULL OR f.plate_colour = d.plate_colour)
     WHERE f.status = 'active'
       AND d.id >= ${uuidv7Floor(since)}::uuid AND d.id < ${uuidv7Floor(until)}::uuid
       AND d.received_at >= ${since}::timestamptz AND d.received_at < ${until}::timestamptz
       AND d.received_at >= f.created_at
    ON CONFLICT (fence_id, detection_id) DO NOTHING
    RETURNING id, fence_id, detection_id`;
}
