import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CaseScopeRepository, EvidenceIntegrityRepository, type IntegrityTrigger } from '@ecc/casefile-data';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { CLOCK, OBJECT_STORAGE, PRISMA } from '@ecc/platform-nest';
import type { PrismaClient } from '@ecc/shared-data';
import { notFound, type Clock, type ObjectStorage } from '@ecc/shared-kernel';
import type { ObservedIntegrity } from '@ecc/casefile-domain';

/** The object is not in storage (as opposed to storage being unreachable, which is an error). */
export const isMissingObject = (error: unknown): boolean => {
  const code = (error as { code?: string } | null)?.code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
};

/** Opens a stored object, or null when it does not exist. */
export async function openObject(storage: ObjectStorage, key: string): Promise<Readable | null> {
  try {
    return await storage.get(key);
  } catch (error) {
    if (isMissingObject(error)) return null;
    throw error;
  }
}

export interface IntegrityItem {
  id: string;
  kind: string;
  key: string;
  sha256: string;
  size: number;
  status: ObservedIntegrity;
  observedSha256?: string;
  checkedAt: string;
}

/**
 * Evidence integrity: reads stored objects back through sha256 (streamed, never buffered whole), records
 * what it saw on every row of the key as the system, audits each status change and alerts on a new mismatch
 * or missing object — the per-case check, the worker's sample and the export all go through `observe`.
 */
@Injectable()
export class EvidenceIntegrityService {
  private readonly logger = new Logger(EvidenceIntegrityService.name);

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly integrity: EvidenceIntegrityRepository,
    private readonly scopes: CaseScopeRepository,
    private readonly alerts: StaffAlertsRepository,
  ) {}

  /** sha256 and size of a stored object, streamed; null when the object does not exist. */
  async hashStored(key: string): Promise<{ sha256: string; size: number } | null> {
    const stream = await openObject(this.storage, key);
    if (!stream) return null;
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Records an observation of `key` (null: gone), audits the changes and alerts on new damage. */
  async observe(
    key: string,
    observedSha256: string | null,
    trigger: IntegrityTrigger,
    at = this.clock.now(),
  ) {
    const changes = await this.prisma.$transaction(async (tx) => {
      const changed = await this.integrity.recordObservation(tx, {
        bucket: this.storage.bucket,
        key,
        observedSha256,
        at,
        trigger,
      });
      // One alert per damaged key, however many evidence rows share it (content-addressed: the same photo
      // registered twice), to everyone concerned with any of them.
      const damaged = changed.filter((change) => change.after !== 'intact');
      if (damaged.length > 0) {
        const { userIds, caseIds } = await this.integrity.recipients(tx, damaged);
        const ids = damaged.map((change) => change.id).join('、');
        if (userIds.length > 0) {
          await this.alerts.raise(tx, {
            userIds,
            kind: 'evidence_integrity_mismatch',
            caseId: caseIds[0] ?? null,
            at,
            message:
              damaged[0]!.after === 'missing'
                ? `证据对象 ${ids}（${key}）在对象存储中已不存在`
                : `证据对象 ${ids}（${key}）的 SHA-256 与登记值不一致，存储内容已被改动`,
          });
        }
      }
      return changed;
    });
    for (const change of changes) {
      if (change.after !== 'intact') {
        this.logger.warn({ evidenceId: change.id, key, status: change.after, trigger }, 'evidence integrity');
      }
    }
    return changes;
  }

  /** GET /cases/{id}/evidence/integrity: re-hashes every evidence object of the case now. */
  async checkCase(caseId: string): Promise<{ caseId: string; checkedAt: string; items: IntegrityItem[] }> {
    const scope = await this.scopes.load(caseId);
    if (!scope) throw notFound('case', caseId);
    const evidence = await this.scopes.evidence(scope, [scope.case.id]);
    const observed = new Map<string, { sha256: string; size: number } | null>();
    for (const key of new Set(evidence.map((e) => e.key))) {
      const seen = await this.hashStored(key);
      observed.set(key, seen);
      await this.observe(key, seen?.sha256 ?? null, 'case_check');
    }
    const checkedAt = this.clock.now().toISOString();
    const fresh = await this.prisma.evidenceObject.findMany({
      where: { id: { in: evidence.map((e) => e.id) } },
      select: { id: true, lastVerifiedAt: true },
    });
    const verifiedAt = new Map(fresh.map((r) => [r.id, r.lastVerifiedAt?.toISOString() ?? checkedAt]));
    return {
      caseId,
      checkedAt,
      items: evidence.map((e) => {
        const seen = observed.get(e.key) ?? null;
        const status: ObservedIntegrity = !seen
          ? 'missing'
          : seen.sha256 === e.sha256
            ? 'intact'
            : 'mismatch';
        return {
          id: e.id,
          kind: e.kind,
          key: e.key,
          sha256: e.sha256,
          size: Number(e.sizeBytes),
          status,
          ...(status === 'mismatch' ? { observedSha256: seen!.sha256 } : {}),
          checkedAt: verifiedAt.get(e.id) ?? checkedAt,
        };
      }),
    };
  }

  /** The worker's scheduled sample: the least recently verified keys, plus some at random. */
  async checkSample(sampleSize: number): Promise<{ checked: number; damaged: number }> {
    const random = Math.floor(sampleSize / 4);
    const keys = await this.integrity.sampleKeys(sampleSize - random, random);
    let damaged = 0;
    for (const key of keys) {
      const seen = await this.hashStored(key);
      await this.observe(key, seen?.sha256 ?? null, 'sample');
      if (!seen) damaged++;
      else if (!(await this.isIntact(key, seen.sha256))) damaged++;
    }
    return { checked: keys.length, damaged };
  }

  private async isIntact(key: string, sha256: string): Promise<boolean> {
    const other = await this.prisma.evidenceObject.count({ where: { key, NOT: { sha256 } } });
    return other === 0;
  }
}
