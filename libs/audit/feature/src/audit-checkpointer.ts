import { Inject, Injectable } from '@nestjs/common';
import { checkpointObjectKey, parseCheckpoint, signCheckpoint } from '@ecc/audit-domain';
import { AuditChainRepository } from '@ecc/audit-data';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock, ObjectStorage } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, OBJECT_STORAGE, PeriodicTask } from '@ecc/platform-nest';
import { AUDIT_SIGNING_KEY, type CheckpointSigningKey } from './audit-signing-key';
import { readObjectText } from './read-object';

export interface CheckpointWritten {
  chainSeq: bigint;
  objectKey: string;
  /** false: the object was already stored (an earlier run stopped before its database copy). */
  written: boolean;
}

/**
 * Signs the chain head and stores it in object storage under `audit/checkpoints/<seq>.json`
 * (AUDIT_CHECKPOINT_INTERVAL_MS, only when the head moved since the last checkpoint). An existing object is
 * never overwritten; the row in audit_checkpoints is a convenience copy, verification reads the objects.
 */
@Injectable()
export class AuditCheckpointer extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
    private readonly chain: AuditChainRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.audit.checkpointIntervalMs;
  }

  /** The checkpoint of this run, or null when the head did not move (or another worker is at it). */
  async sweep(): Promise<CheckpointWritten | null> {
    return this.chain.underCheckpointLock(async (tx) => {
      const head = await this.chain.head();
      if (!head) return null;
      const last = await this.chain.lastCheckpoint();
      if (last && last.chainSeq >= head.chainSeq) return null;
      const objectKey = checkpointObjectKey(head.chainSeq);
      if (await this.storage.stat(objectKey)) {
        // Stored by a run that stopped before its copy: keep the object as it is, copy what it says.
        const stored = parseCheckpoint(await readObjectText(this.storage, objectKey));
        if (stored) {
          await this.chain.recordCheckpoint(
            {
              chainSeq: BigInt(stored.chainSeq),
              eventId: BigInt(stored.eventId),
              headHash: stored.headHash,
              objectKey,
              keyId: stored.keyId,
              signature: stored.signature,
              createdAt: new Date(stored.createdAt),
            },
            tx,
          );
        } else {
          this.logger.error(
            { objectKey },
            'a checkpoint object exists but is not a checkpoint; left as it is',
          );
        }
        return { chainSeq: head.chainSeq, objectKey, written: false };
      }
      const createdAt = this.clock.now();
      const signed = signCheckpoint(
        { chainSeq: head.chainSeq, eventId: head.eventId, headHash: head.hash },
        this.key,
        createdAt,
      );
      const body = Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8');
      // Under S3 Object Lock (compliance) for the configured days: not even the storage's root can remove it.
      const days = this.config.audit.checkpointRetentionDays;
      await this.storage.put(objectKey, body, 'application/json', body.length, {
        retainUntil: days > 0 ? new Date(createdAt.getTime() + days * 86_400_000) : undefined,
      });
      await this.chain.recordCheckpoint(
        {
          chainSeq: head.chainSeq,
          eventId: head.eventId,
          headHash: head.hash,
          objectKey,
          keyId: signed.keyId,
          signature: signed.signature,
          createdAt,
        },
        tx,
      );
      this.logger.log({ chainSeq: head.chainSeq.toString(), objectKey }, 'audit checkpoint stored');
      return { chainSeq: head.chainSeq, objectKey, written: true };
    });
  }
}
