import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { AdaptiveBatcher, DomainError, validationError, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { JOBS } from '@ecc/shared-queues';
import { auditRow, type AuditRowValues } from '@ecc/audit-data';
import {
  canonicalBodyDigest,
  decodeEvidence,
  formEvidence,
  recordedBody,
  type DetectionBody,
  type DetectionForm,
  type FormPart,
  type DetectionReceipt,
} from '@ecc/intake-domain';
import {
  DetectionsRepository,
  newDetectionId,
  type NewDetection,
  type StoredEvidence,
} from '@ecc/intake-data';
import {
  APP_CONFIG,
  CLOCK,
  PRISMA,
  QueueProducer,
  REDIS,
  type CommandContext,
  type RedisConnection,
} from '@ecc/platform-nest';
import { EvidenceStore } from './evidence-store';

/** How long a request waits for Redis to take the screening job before answering anyway (the outbox has it). */
const ENQUEUE_WAIT_MS = 1_000;
const DEVICE_CACHE_TTL_MS = 5_000;
/** The screening jobs of concurrent requests added by one call at most. */
const ENQUEUE_BATCH_MAX = 200;
/** The detections of concurrent requests inserted by one statement at most, and such statements at once. */
const INSERT_BATCH_MAX = 100;
const INSERTS_RUNNING = 2;

type DetectionRow = NewDetection & { id: string; outboxId: string; audit: AuditRowValues };

export interface ReceiveResult {
  receipt: DetectionReceipt;
  /** false: the same detection had been received before (idempotent repeat). */
  created: boolean;
}

/**
 * 检测数据接收 (lifecycle step 1): a station's detection becomes durable in Postgres — detection, evidence
 * rows, outbox row and audit event in one atomic SQL statement — and is then queued for screening. A repeat of the
 * same detection id with the same body is answered with the first receipt; with another body, 409.
 */
@Injectable()
export class ReceiveDetectionUseCase {
  private readonly logger = new Logger(ReceiveDetectionUseCase.name);
  private readonly devices = new Map<string, { at: number; id: Promise<string | null> }>();
  /**
   * The screening jobs of concurrent requests are added together (AdaptiveBatcher: at once while fewer than two
   * calls are in flight, else with what arrives meanwhile, up to ENQUEUE_BATCH_MAX).
   */
  private lastEnqueueWarning = 0;
  private readonly enqueues = new AdaptiveBatcher<string, void>({
    maxBatch: ENQUEUE_BATCH_MAX,
    maxRunning: 2,
    // One job for the batch (a batch of one: the detection's own job, as the outbox sweeper enqueues it).
    runMany: async (ids) => {
      if (ids.length === 1) await this.queue.enqueue(JOBS.screenDetection, { detectionId: ids[0]! });
      else await this.queue.enqueue(JOBS.screenDetections, { detectionIds: [...ids] });
      return ids.map(() => ({ value: undefined }));
    },
    runOne: async (detectionId) => {
      await this.queue.enqueue(JOBS.screenDetection, { detectionId });
    },
    onBatchFailure: (error, size) =>
      this.logger.warn(
        { err: error, detections: size },
        'enqueue of screening failed: trying each job alone',
      ),
  });
  /**
   * The inserts of concurrent requests share a statement (AdaptiveBatcher: at once while fewer than
   * INSERTS_RUNNING run, else together with what arrives meanwhile); each request still waits for its commit.
   */
  private readonly inserts = new AdaptiveBatcher<DetectionRow, boolean>({
    maxBatch: INSERT_BATCH_MAX,
    maxRunning: INSERTS_RUNNING,
    runMany: async (rows) => {
      const inserted = await this.detections.createMany(rows);
      return rows.map((row) => ({ value: inserted.has(row.id) }));
    },
    runOne: async (row) => (await this.detections.createMany([row])).has(row.id),
    onBatchFailure: (error, size) =>
      this.logger.warn(
        { err: error, detections: size },
        'a batch of detections failed: inserting them one by one',
      ),
  });

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly detections: DetectionsRepository,
    private readonly evidence: EvidenceStore,
    private readonly queue: QueueProducer,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  /**
   * `body`: a JSON body (evidence inline, base64) or the `detection` part of a form, whose evidence bytes are
   * the form's parts (`parts`, detection-form.ts).
   */
  async execute(
    body: DetectionBody | DetectionForm,
    station: { stationId: string; code: string },
    ctx: CommandContext,
    parts?: readonly FormPart[],
  ): Promise<ReceiveResult> {
    const receivedAt = this.clock.now();
    const skewMs = this.config.intake.maxClockSkewSeconds * 1000;
    if (new Date(body.detectedAt).getTime() > receivedAt.getTime() + skewMs) {
      throw validationError('detectedAt lies in the future', [
        { path: 'body.detectedAt', message: 'lies in the future (beyond the allowed clock skew)' },
      ]);
    }
    const bodyDigest = canonicalBodyDigest(body);
    // A repeat is answered before evidence is decoded or uploaded again. Without evidence there is nothing
    // to save, so the hot path skips this read: the insert itself tells a repeat (ON CONFLICT DO NOTHING).
    if (body.evidence.length > 0) {
      const existing = await this.detections.findIdentityNow(station.stationId, body.detectionId);
      if (existing) return this.repeat(existing, bodyDigest, body.detectionId);
    }

    // Every digest is checked before anything is written, so a bad item leaves nothing behind.
    const { decoded, mismatches } = parts
      ? this.formEvidence(body.evidence, parts)
      : decodeEvidence((body as DetectionBody).evidence);
    if (mismatches.length > 0) {
      throw new DomainError(
        'validation',
        'evidence_digest_mismatch',
        'the bytes of some evidence do not match their sha256; nothing was stored',
        {
          errors: mismatches.map((m) => ({
            path: `body.evidence.${m.index}.sha256`,
            message: `declared ${m.declared}, the bytes hash to ${m.actual}`,
          })),
        },
      );
    }
    // Uploaded before the transaction: if it then fails, these objects stay as harmless orphans — their
    // keys are their content, nothing references them, and a retry lands on the same keys.
    const stored: StoredEvidence[] = await Promise.all(
      decoded.map(async (item) => ({
        kind: item.kind,
        contentType: item.contentType,
        sha256: item.sha256,
        sizeBytes: item.bytes.length,
        ...(await this.evidence.putIfAbsent(item.sha256, item.contentType, item.bytes, item.bytes.length)),
      })),
    );
    const deviceId = await this.deviceId(station.stationId, body.deviceCode);

    // One statement (atomic on its own, no interactive transaction), shared with concurrent requests:
    // detection, outbox row, evidence rows and the audit event — whose values auditRow computes exactly as
    // recordAudit does.
    const detectionRowId = newDetectionId(receivedAt);
    const audit = auditRow(
      {
        actor: ctx.actor,
        action: 'detection.received',
        entityType: 'detection',
        entityId: detectionRowId,
        requestId: ctx.requestId,
        changes: {
          stationCode: station.code,
          detectionId: body.detectionId,
          bodyDigest,
          evidence: stored.map((e) => ({ kind: e.kind, sha256: e.sha256, key: e.key })),
        },
      },
      receivedAt,
    ).data;
    const created = await this.inserts.submit({
      id: detectionRowId,
      outboxId: randomUUID(),
      stationId: station.stationId,
      deviceId,
      body,
      bodyDigest,
      raw: recordedBody(body),
      receivedAt,
      evidence: stored,
      audit,
    });
    const id = created ? detectionRowId : null;
    if (id === null) {
      // Received before (or by a concurrent request just now): the same body is a repeat, another a conflict.
      const existing = await this.detections.findIdentity(this.prisma, station.stationId, body.detectionId);
      if (!existing) throw new Error(`detection ${body.detectionId} conflicted but cannot be found`);
      return this.repeat(existing, bodyDigest, body.detectionId);
    }

    await this.enqueueScreening(id);
    return { receipt: { receiptId: id, detectionId: body.detectionId, status: 'accepted' }, created: true };
  }

  /** The evidence parts of a form, every item with its part and no part without an item. */
  private formEvidence(items: DetectionForm['evidence'], parts: readonly FormPart[]) {
    const { decoded, mismatches, missing, unexpected } = formEvidence(items, parts);
    if (missing.length > 0 || unexpected.length > 0) {
      throw validationError('the evidence parts do not match the evidence items of the detection', [
        ...missing.map((kind) => ({
          path: `body.${kind}`,
          message: `evidence item ${kind} has no part named ${kind} (or an empty one)`,
        })),
        ...unexpected.map((name) => ({
          path: `body.${name}`,
          message: 'a part that no evidence item declares (parts: detection and one per evidence kind)',
        })),
      ]);
    }
    return { decoded, mismatches };
  }

  private repeat(
    existing: { id: string; bodyDigest: string },
    bodyDigest: string,
    detectionId: string,
  ): ReceiveResult {
    if (existing.bodyDigest !== bodyDigest) {
      throw new DomainError(
        'conflict',
        'detection_conflict',
        `detection ${detectionId} was already received with a different body`,
        { receiptId: existing.id },
      );
    }
    return { receipt: { receiptId: existing.id, detectionId, status: 'duplicate' }, created: false };
  }

  /**
   * After commit. A failure here must not fail the request: the detection is durable and its outbox row
   * makes the sweeper enqueue it again. The job id is the detection's, so a double enqueue is harmless.
   */
  private async enqueueScreening(detectionId: string): Promise<void> {
    // Redis away: do not pile jobs up in the client's offline queue (memory, latency); the sweeper has them.
    if (this.redis.status !== 'ready') {
      this.logger.warn({ detectionId }, 'Redis is not connected; screening is left to the outbox sweeper');
      return;
    }
    const enqueue = this.enqueues.submit(detectionId).catch((error: unknown) => {
      // The outbox row stays unprocessed, so the outbox sweeper enqueues it again (and counts the attempt: the
      // screening side is the one writer of the outbox's state). Logged at most every 10 s: with Redis failing,
      // every request would say the same.
      if (Date.now() - this.lastEnqueueWarning > 10_000) {
        this.lastEnqueueWarning = Date.now();
        this.logger.warn(
          { err: error, detectionId },
          'enqueue of screening failed; the outbox sweeper will retry',
        );
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ENQUEUE_WAIT_MS);
    });
    try {
      const outcome = await Promise.race([enqueue.then(() => 'queued' as const), timeout]);
      if (outcome === 'timeout') {
        this.logger.warn(
          { detectionId },
          'Redis did not take the screening job in time; the outbox keeps it',
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The registered device a detection names (null: unknown, which screening reports as not approved). */
  private deviceId(stationId: string, code: string): Promise<string | null> {
    const key = `${stationId}/${code}`;
    const now = Date.now();
    const cached = this.devices.get(key);
    if (cached && now - cached.at < DEVICE_CACHE_TTL_MS) return cached.id;
    if (this.devices.size > 10_000) this.devices.clear();
    const id = this.detections.findDeviceId(stationId, code);
    this.devices.set(key, { at: now, id });
    id.catch(() => this.devices.delete(key));
    return id;
  }
}
