import { recordAudit } from '@ecc/audit-data';
import { classifyIntegrity, type ObservedIntegrity } from '@ecc/casefile-domain';
import { systemActor } from '@ecc/identity-domain';
import type { PrismaClient, Tx } from '@ecc/shared-data';

/** Who looked: the per-case check, the worker's sample, or an export that streamed the object. */
export type IntegrityTrigger = 'case_check' | 'sample' | 'export';

export interface IntegrityChange {
  id: string;
  key: string;
  before: string;
  after: ObservedIntegrity;
  detectionId: string | null;
  caseId: string | null;
}

const ACTOR = systemActor('evidence-integrity');

/**
 * The integrity marks of evidence objects (integrity_status, last_verified_at, observed_sha256). Keys are
 * content-addressed and shared by several rows: an observation of a key marks every row of that key.
 */
export class EvidenceIntegrityRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * A sample of stored keys to re-hash: those never verified or verified longest ago first (`oldest`), then
   * `random` more chosen at random among the rest, so that a recently checked object is not safe forever.
   */
  async sampleKeys(oldest: number, random: number): Promise<string[]> {
    const first = await this.db.$queryRaw<{ key: string }[]>`
      SELECT key FROM evidence_objects
      GROUP BY key
      ORDER BY bool_or(last_verified_at IS NULL) DESC, min(last_verified_at) ASC NULLS FIRST, min(created_at) ASC
      LIMIT ${oldest}`;
    const chosen = first.map((r) => r.key);
    if (random <= 0) return chosen;
    const rest = await this.db.$queryRaw<{ key: string }[]>`
      SELECT key FROM (SELECT DISTINCT key FROM evidence_objects WHERE NOT (key = ANY(${chosen}::text[]))) k
      ORDER BY random() LIMIT ${random}`;
    return [...chosen, ...rest.map((r) => r.key)];
  }

  /**
   * Records what reading `key` back showed (null: the object is gone) on every row of the key, in one
   * transaction with the rows locked: rows whose status changes get an audit event by the system actor and
   * are returned (a concurrent check of the same key waits and then sees no change, so nothing is repeated).
   */
  async recordObservation(
    tx: Tx,
    input: {
      bucket: string;
      key: string;
      observedSha256: string | null;
      at: Date;
      trigger: IntegrityTrigger;
    },
  ): Promise<IntegrityChange[]> {
    const rows = await tx.$queryRaw<
      {
        id: string;
        sha256: string;
        integrity_status: string;
        detection_id: string | null;
        case_id: string | null;
      }[]
    >`
      SELECT id, sha256, integrity_status::text AS integrity_status, detection_id, case_id
      FROM evidence_objects WHERE bucket = ${input.bucket} AND key = ${input.key}
      ORDER BY id FOR UPDATE`;
    const changes: IntegrityChange[] = [];
    for (const row of rows) {
      const after = classifyIntegrity(row.sha256, input.observedSha256);
      await tx.evidenceObject.update({
        where: { id: row.id },
        data: {
          integrityStatus: after,
          lastVerifiedAt: input.at,
          observedSha256: after === 'mismatch' ? input.observedSha256 : null,
        },
      });
      if (row.integrity_status === after) continue;
      await recordAudit(
        tx,
        {
          actor: ACTOR,
          action: 'evidence.integrity_changed',
          entityType: 'evidence_object',
          entityId: row.id,
          changes: {
            integrityStatus: { before: row.integrity_status, after },
            key: input.key,
            recordedSha256: row.sha256,
            observedSha256: input.observedSha256,
            trigger: input.trigger,
          },
        },
        input.at,
      );
      changes.push({
        id: row.id,
        key: input.key,
        before: row.integrity_status,
        after,
        detectionId: row.detection_id,
        caseId: row.case_id,
      });
    }
    return changes;
  }

  /**
   * Who is told about a damaged object: every active admin and auditor, and the officers of the cases
   * its evidence rows belong to (directly, or through their detection's lead) — one set for all the rows
   * that share the object, each person once.
   */
  async recipients(tx: Tx, rows: readonly Pick<IntegrityChange, 'detectionId' | 'caseId'>[]) {
    const staff = await tx.user.findMany({
      where: { active: true, roles: { some: { role: { in: ['admin', 'auditor'] } } } },
      select: { id: true },
    });
    const links = rows.flatMap((row) => [
      ...(row.caseId ? [{ id: row.caseId }] : []),
      ...(row.detectionId ? [{ lead: { detections: { some: { detectionId: row.detectionId } } } }] : []),
    ]);
    const cases =
      links.length === 0
        ? []
        : await tx.case.findMany({
            where: { OR: links },
            select: { id: true, officers: { select: { userId: true, user: { select: { active: true } } } } },
          });
    return {
      userIds: [
        ...new Set([
          ...staff.map((u) => u.id),
          ...cases.flatMap((c) => c.officers.filter((o) => o.user.active).map((o) => o.userId)),
        ]),
      ],
      caseIds: cases.map((c) => c.id),
    };
  }
}
