import type { Tx } from '@ecc/shared-data';
import type { EvidenceKind } from '@ecc/intake-domain';
import { toStoredEvidenceKind } from './evidence-kind';
import type { StoredEvidence } from './detections.repository';

/** Evidence objects of detections (one per kind and detection). */
export class EvidenceRepository {
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
      SELECT id::text AS id, status::text AS status FROM detections
       WHERE station_id = ${stationId}::uuid AND station_detection_id = ${stationDetectionId}
       FOR UPDATE`;
    return rows[0] ?? null;
  }

  async findByKind(
    tx: Tx,
    detectionId: string,
    kind: EvidenceKind,
  ): Promise<{ id: string; sha256: string; sizeBytes: bigint } | null> {
    return tx.evidenceObject.findUnique({
      where: { detectionId_kind: { detectionId, kind: toStoredEvidenceKind(kind) } },
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
        kind: toStoredEvidenceKind(e.kind),
        createdAt: at,
      },
      select: { id: true },
    });
  }
}
