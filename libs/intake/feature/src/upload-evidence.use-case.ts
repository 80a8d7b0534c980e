import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import {
  DomainError,
  notFound,
  validationError,
  type Clock,
  type StationEvidenceKind,
} from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { SHA256_HEX, StreamingSignature, type EvidenceReceipt, type SignedRequest } from '@ecc/intake-domain';
import { DetectionsRepository, EvidenceRepository } from '@ecc/intake-data';
import { APP_CONFIG, CLOCK, PRISMA, QueueProducer, type CommandContext } from '@ecc/platform-nest';
import { JOBS } from '@ecc/shared-queues';
import type { AuthenticatedStation } from './station-authenticator';
import { unauthenticatedStation } from './station-authenticator';
import { EvidenceStore } from './evidence-store';

export interface EvidenceUpload {
  station: AuthenticatedStation;
  detectionId: string;
  kind: StationEvidenceKind;
  contentType: string;
  /** What the signature covers besides the bytes (version 2: method, path, media type, timestamp). */
  signed: SignedRequest;
  signature: string;
  declaredSha256: string | undefined;
  declaredLength: number | undefined;
  body: Readable;
}

const collectionClosed = (detectionId: string) =>
  new DomainError(
    'conflict',
    'evidence_collection_closed',
    `the lead of detection ${detectionId} is filed into a case: evidence is added only while an officer has reopened its collection`,
  );

const tooLarge = (limit: number) =>
  new DomainError('too_large', 'payload_too_large', `evidence larger than ${limit} bytes is refused`);

/**
 * Large evidence (video) of a received detection, streamed: the bytes are hashed (sha256 and the station's
 * HMAC) as they arrive and spooled to a temporary file, never held whole in memory. Only an upload whose
 * signature and X-Content-SHA256 both check out reaches the bucket, under its content address; so a bad
 * upload leaves nothing in storage. The EvidenceObject row and its audit event commit together.
 */
@Injectable()
export class UploadEvidenceUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly detections: DetectionsRepository,
    private readonly evidenceRows: EvidenceRepository,
    private readonly store: EvidenceStore,
    private readonly queue: QueueProducer,
  ) {}

  async execute(
    upload: EvidenceUpload,
    ctx: CommandContext,
  ): Promise<{ receipt: EvidenceReceipt; created: boolean }> {
    const limit = this.config.intake.evidenceUploadLimitBytes;
    const declared = upload.declaredSha256?.toLowerCase();
    if (!declared || !SHA256_HEX.test(declared)) {
      upload.body.resume();
      throw validationError('X-Content-SHA256 is required', [
        { path: 'headers.x-content-sha256', message: 'the sha256 of the body as 64 hex characters' },
      ]);
    }
    if (upload.declaredLength !== undefined && upload.declaredLength > limit) {
      upload.body.resume();
      throw tooLarge(limit);
    }

    // Refused before a byte is read: no point in spooling what cannot be kept.
    const known = await this.detections.findIdentity(
      this.prisma,
      upload.station.stationId,
      upload.detectionId,
    );
    if (known && !(await this.mayCollect(this.prisma, known.id))) {
      upload.body.resume();
      throw collectionClosed(upload.detectionId);
    }

    const dir = await mkdtemp(join(tmpdir(), 'ecc-evidence-'));
    try {
      const file = join(dir, 'upload');
      const signature = new StreamingSignature(upload.station.secrets, upload.signed);
      const sha = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > limit) return done(tooLarge(limit));
          sha.update(chunk);
          signature.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(upload.body, meter, createWriteStream(file));
      if (!signature.matches(upload.signature)) throw unauthenticatedStation();
      const actual = sha.digest('hex');
      if (actual !== declared) {
        throw new DomainError(
          'validation',
          'evidence_digest_mismatch',
          'the uploaded bytes do not match X-Content-SHA256; nothing was stored',
          {
            errors: [
              {
                path: 'headers.x-content-sha256',
                message: `declared ${declared}, the bytes hash to ${actual}`,
              },
            ],
          },
        );
      }
      if (size === 0) {
        throw validationError('the evidence is empty', [{ path: 'body', message: 'at least one byte' }]);
      }

      const identity = await this.detections.findIdentity(
        this.prisma,
        upload.station.stationId,
        upload.detectionId,
      );
      if (!identity) throw notFound('detection', `${upload.station.code}/${upload.detectionId}`);
      const receipt = (status: EvidenceReceipt['status']): EvidenceReceipt => ({
        detectionId: upload.detectionId,
        kind: upload.kind,
        sha256: actual,
        sizeBytes: size,
        status,
      });
      // Decided before uploading (no upload for a repeat or a conflict) and again under the row lock.
      const decide = (existing: { sha256: string } | null) => {
        if (!existing) return null;
        if (existing.sha256 !== actual) {
          throw new DomainError(
            'conflict',
            'evidence_conflict',
            `evidence ${upload.kind} of detection ${upload.detectionId} was already received with other bytes`,
            { sha256: existing.sha256 },
          );
        }
        return { receipt: receipt('duplicate'), created: false };
      };
      const early = decide(await this.evidenceRows.findByKind(this.prisma, identity.id, upload.kind));
      if (early) return early;

      // As for inline evidence: an object uploaded here whose transaction then fails is a harmless orphan.
      const location = await this.store.putIfAbsent(
        actual,
        upload.contentType,
        () => createReadStream(file),
        size,
      );
      const at = this.clock.now();
      const stored = await this.prisma.$transaction(async (tx) => {
        const detection = await this.evidenceRows.lockDetection(
          tx,
          upload.station.stationId,
          upload.detectionId,
        );
        if (!detection) throw notFound('detection', `${upload.station.code}/${upload.detectionId}`);
        const repeat = decide(await this.evidenceRows.findByKind(tx, detection.id, upload.kind));
        if (repeat) return repeat;
        const collection = await this.evidenceRows.collection(tx, detection.id, at, true);
        if (collection.filed && !collection.reopeningId) throw collectionClosed(upload.detectionId);
        const row = await this.evidenceRows.create(
          tx,
          detection.id,
          {
            kind: upload.kind,
            contentType: upload.contentType,
            sha256: actual,
            sizeBytes: size,
            ...location,
          },
          at,
        );
        await recordAudit(
          tx,
          {
            actor: ctx.actor,
            action: 'detection.evidence_received',
            entityType: 'detection',
            entityId: detection.id,
            requestId: ctx.requestId,
            changes: {
              evidenceId: row.id,
              kind: upload.kind,
              sha256: actual,
              sizeBytes: size,
              key: location.key,
              ...(collection.reopeningId ? { reopeningId: collection.reopeningId } : {}),
            },
          },
          at,
        );
        return {
          receipt: receipt('stored'),
          created: true,
          unscreened: detection.status !== 'screened' ? detection.id : null,
        };
      });
      if ('unscreened' in stored && stored.unscreened) {
        // Screening may be holding the detection back for this evidence (the policy's grace): screen it now.
        // Best effort: the outbox sweeper screens it again anyway.
        await this.queue
          .requeue(JOBS.screenDetection, [{ detectionId: stored.unscreened }])
          .catch(() => undefined);
      }
      return { receipt: stored.receipt, created: stored.created };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async mayCollect(db: PrismaClient, detectionId: string): Promise<boolean> {
    const collection = await this.evidenceRows.collection(db, detectionId, this.clock.now());
    return !collection.filed || collection.reopeningId !== null;
  }
}
