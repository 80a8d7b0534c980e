import type { PrismaClient, Tx } from '@ecc/shared-data';
import type { StationEvidenceKind } from '@ecc/shared-kernel';
import type { StoredEvidence } from './detections.repository';

/** Whether stations may still add evidence to a detection: closed once its lead is filed into a case. */
export interface EvidenceCollection {
  leadId: string | null;
  /** A case was opened on the lead (立案, from its draft on): its evidence is part of a case file. */
  filed: boolean;
  /** An officer's reopening in force now, if any. */
  reopeningId: string | null;
}

/** Evidence objects of detections (one per kind and detection). */
export class EvidenceRepository {
  /**
   * The collection state of a detection's evidence at `at`. Inside a transaction the lead row is share-locked,
   * so a filing of the lead waits for the upload (or the upload for the filing) instead of crossing it.
   */
  async collection(
    db: Tx | PrismaClient,
    detectionId: string,
    at: Date,
    lock = false,
  ): Promise<EvidenceCollection> {
    const rows = await db.$queryRaw<{ lead_id: string; filed: boolean; reopening: string | null }[]>`
      SELECT l.id::text AS lead_id,
             l.status = 'filed' OR EXISTS (
               SELECT 1 FROM cases c
                WHERE c.lead_id = l.id AND c.state NOT IN ('not_filed', 'terminated')) AS filed,
             (SELECT r.id::text FROM evidence_reopenings r
               WHERE r.lead_id = l.id AND r.opened_at <= ${at} AND r.closes_at > ${at} AND r.closed_at IS NULL
               ORDER BY r.closes_at DESC LIMIT 1) AS reopening
        FROM lead_detections ld JOIN leads l ON l.id = ld.lead_id
       WHERE ld.detection_id = ${detectionId}::uuid`;
    const row = rows[0];
    if (row && lock) await db.$queryRaw`SELECT 1 FROM leads WHERE id = ${row.lead_id}::uuid FOR SHARE`;
    return {
      leadId: row?.lead_id ?? null,
      filed: row?.filed ?? false,
      reopeningId: row?.reopening ?? null,
    };
  }

  /**
   * The detection a station uploads evidence for, locked for the rest of the transaction so that two
   * concurrent uploads of one kind are decided one after the other.
   */
  async lockDetection(
    tx: Tx,
    stationId: string,
    stationDetectionId: string,
  ): Promise<{ id: string; status: string } | null> {
    const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
      SELECT d.id::text AS id, d.status::text AS status
        FROM detection_keys k JOIN detections d ON d.id = k.detection_id
       WHERE k.station_id = ${stationId}::uuid AND k.station_detection_id = ${stationDetectionId}
         FOR UPDATE OF d`;
    return rows[0] ?? null;
  }

  async findByKind(
    tx: Tx,
    detectionId: string,
    kind: StationEvidenceKind,
  ): Promise<{ id: string; sha256: string; sizeBytes: bigint } | null> {
    return tx.evidenceObject.findUnique({
      where: { detectionId_kind: { detectionId, kind } },
      select: { id: true, sha256: true, sizeBytes: true },
    });
  }

  async create(tx: Tx, detectionId: string, e: StoredEvidence, at: Date): Promise<{ id: string }> {
    return tx.evidenceObject.create({
      data: {
        detectionId,
        bucket: e.bucket,
        key: e.key,
        sha256: e.sha256,
        sizeBytes: BigInt(e.sizeBytes),
        contentType: e.contentType,
        kind: e.kind,
        createdAt: at,
      },
      select: { id: true },
    });
  }
}
