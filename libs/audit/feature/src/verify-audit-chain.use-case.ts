import { Inject, Injectable } from '@nestjs/common';
import {
  CHECKPOINT_PREFIX,
  INITIAL_VERIFY_STATE,
  checkCheckpointObject,
  matchCheckpoint,
  publicKeyHex,
  verifyChain,
  type ChainBreak,
  type ChainBreakReason,
  type ChainHead,
  type CheckpointFailure,
  type SignedCheckpoint,
} from '@ecc/audit-domain';
import { AuditChainRepository } from '@ecc/audit-data';
import type { Clock, ObjectStorage } from '@ecc/shared-kernel';
import { CLOCK, OBJECT_STORAGE } from '@ecc/platform-nest';
import {
  AUDIT_RETIRED_KEYS,
  AUDIT_SIGNING_KEY,
  type CheckpointSigningKey,
  type VerifyingKey,
} from './audit-signing-key';
import { readObjectText } from './read-object';

/** Sealed events read per query while folding the chain. */
export const VERIFY_BATCH = 5000;
/** Checkpoint objects fetched at once. */
const FETCH_CONCURRENCY = 8;

export type AuditBreakReason = ChainBreakReason | CheckpointFailure;

export interface AuditVerification {
  ok: boolean;
  /** Sealed events whose links, hashes and digests were verified (up to a break of the chain). */
  checked: number;
  /** The first event that cannot be trusted (see the README, "Audit trail"); null when ok. */
  firstBrokenEventId: string | null;
  firstBrokenChainSeq: string | null;
  reason: AuditBreakReason | null;
  detail: string | null;
  /** Committed events not yet linked into the chain (the window between commit and sealing). */
  unsealed: number;
  head: { chainSeq: string; eventId: string } | null;
  checkpointsChecked: number;
  checkpointsFailed: number;
  /** The newest checkpoint that was valid and matched the chain. */
  lastCheckpoint: { chainSeq: string; objectKey: string; createdAt: string } | null;
  /** Where this run started: the whole chain, or after an event an earlier run had verified. */
  scope: { kind: 'full' } | { kind: 'since'; afterChainSeq: string };
  /** The last event verified intact (the next incremental run starts after it); null when none. */
  verifiedThrough: { chainSeq: string; hash: string } | null;
  /** The key new checkpoints are signed with (its public half: AUDIT_RETIRED_PUBLIC_KEYS after a rotation). */
  signingKey: { keyId: string; publicKey: string };
  verifiedAt: string;
}

/** An incremental run starts after an event an earlier run verified, from its seq and hash. */
export interface VerifiedThrough {
  chainSeq: bigint;
  hash: string;
}

interface CheckpointResult {
  objectKey: string;
  checkpoint: SignedCheckpoint | null;
  /** From the document, else from the object key; null when neither names one. */
  chainSeq: bigint | null;
  eventId: bigint | null;
  createdAt: string | null;
  failure: CheckpointFailure | null;
}

const SEQ_OF_KEY = /^audit\/checkpoints\/(\d{1,20})\.json$/;

/**
 * Verifies the audit chain: folds every sealed event in chain order (links, hashes, digests), then checks
 * every checkpoint object in storage (signature with the configured key or a retired one, and the event at its seq still has
 * the id and hash it signed). Shared by GET /audit/verify and the worker's scheduled verification.
 */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
    private readonly chain: AuditChainRepository,
    @Inject(AUDIT_RETIRED_KEYS) private readonly retired: readonly VerifyingKey[],
  ) {}

  /**
   * The whole chain and every checkpoint; or, given `since` (an event an earlier run verified), only the events
   * and checkpoints after it — the worker's frequent runs, between its full ones.
   */
  async execute(since?: VerifiedThrough): Promise<AuditVerification> {
    const verifiedAt = this.clock.now().toISOString();
    const unsealed = await this.chain.unsealedCount();

    // 1. The chain itself, batch after batch.
    const start: ChainHead = since
      ? { chainSeq: since.chainSeq, hash: since.hash }
      : INITIAL_VERIFY_STATE.head;
    let state = { ...INITIAL_VERIFY_STATE, head: start };
    let chainBreak: ChainBreak | null = null;
    let lastSeq = start.chainSeq;
    for (;;) {
      const batch = await this.chain.sealedAfter(lastSeq, VERIFY_BATCH);
      const result = verifyChain(batch, state);
      state = result.state;
      if (result.break) {
        chainBreak = result.break;
        break;
      }
      lastSeq = batch.at(-1)?.chainSeq ?? lastSeq;
      if (batch.length < VERIFY_BATCH) break;
    }
    const head = await this.chain.head();

    // 2. The checkpoints in storage, in chain order (their keys sort by seq); after `since` only.
    const checkpoints = await this.checkCheckpoints(since?.chainSeq ?? 0n);
    const failed = checkpoints.filter((c) => c.failure);
    const matched = checkpoints.filter((c) => !c.failure);
    const newest = matched.at(-1);

    const result: AuditVerification = {
      ok: true,
      checked: state.checked,
      firstBrokenEventId: null,
      firstBrokenChainSeq: null,
      reason: null,
      detail: null,
      unsealed,
      head: head ? { chainSeq: head.chainSeq.toString(), eventId: head.eventId.toString() } : null,
      checkpointsChecked: checkpoints.length,
      checkpointsFailed: failed.length,
      lastCheckpoint:
        newest && newest.chainSeq !== null
          ? {
              chainSeq: newest.chainSeq.toString(),
              objectKey: newest.objectKey,
              createdAt: newest.createdAt ?? '',
            }
          : null,
      scope: since ? { kind: 'since', afterChainSeq: since.chainSeq.toString() } : { kind: 'full' },
      signingKey: { keyId: this.key.keyId, publicKey: publicKeyHex(this.key.publicKey) },
      verifiedThrough:
        state.head.chainSeq > 0n ? { chainSeq: state.head.chainSeq.toString(), hash: state.head.hash } : null,
      verifiedAt,
    };

    // 3. The first break: the earliest event that can no longer be trusted. A failed checkpoint says that the
    //    chain changed somewhere after the last checkpoint that still matches and up to its own seq (so the
    //    first event after that one); a break of the chain itself names its event. When both, the earlier.
    const pinned = failed[0] ? await this.pin(failed[0], checkpoints, since?.chainSeq ?? 0n) : null;
    if (chainBreak && (!pinned || chainBreak.chainSeq <= pinned.chainSeq)) {
      return {
        ...result,
        ok: false,
        firstBrokenEventId: chainBreak.eventId.toString(),
        firstBrokenChainSeq: chainBreak.chainSeq.toString(),
        reason: chainBreak.reason,
        detail: describeChainBreak(chainBreak) + (pinned ? `; also ${pinned.detail}` : ''),
      };
    }
    if (pinned) {
      return {
        ...result,
        ok: false,
        firstBrokenEventId: pinned.eventId?.toString() ?? null,
        firstBrokenChainSeq: pinned.chainSeq.toString(),
        reason: pinned.failure,
        detail:
          pinned.detail +
          (chainBreak
            ? `; the chain itself also breaks at event ${chainBreak.eventId} (${chainBreak.reason})`
            : ''),
      };
    }
    return result;
  }

  private async checkCheckpoints(afterSeq: bigint): Promise<CheckpointResult[]> {
    const keys = (await this.storage.listKeys(CHECKPOINT_PREFIX)).filter((key) => {
      // A key that does not name its seq is checked (and fails as malformed) in every run.
      const seq = SEQ_OF_KEY.exec(key)?.[1];
      return seq === undefined || BigInt(seq) > afterSeq;
    });
    const results: CheckpointResult[] = new Array(keys.length);
    let next = 0;
    const fetchOne = async (): Promise<void> => {
      while (next < keys.length) {
        const index = next++;
        const objectKey = keys[index]!;
        const text = await readObjectText(this.storage, objectKey);
        const checked = checkCheckpointObject(objectKey, text, [this.key, ...this.retired]);
        const keySeq = SEQ_OF_KEY.exec(objectKey)?.[1];
        results[index] = {
          objectKey,
          checkpoint: checked.checkpoint,
          chainSeq: checked.checkpoint
            ? BigInt(checked.checkpoint.chainSeq)
            : keySeq !== undefined
              ? BigInt(keySeq)
              : null,
          eventId: checked.checkpoint ? BigInt(checked.checkpoint.eventId) : null,
          createdAt: checked.checkpoint?.createdAt ?? null,
          failure: checked.failure,
        };
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, keys.length) }, fetchOne));

    // Signed and valid: does the database still hold the event each one signed?
    const valid = results.filter(
      (r): r is CheckpointResult & { checkpoint: SignedCheckpoint; chainSeq: bigint } =>
        !r.failure && r.checkpoint !== null && r.chainSeq !== null,
    );
    for (let i = 0; i < valid.length; i += 1000) {
      const slice = valid.slice(i, i + 1000);
      const events = await this.chain.atSeqs(slice.map((r) => r.chainSeq));
      for (const r of slice) r.failure = matchCheckpoint(r.checkpoint, events.get(r.chainSeq) ?? null);
    }
    return results;
  }

  /**
   * The earliest event a failed checkpoint can pin: the first sealed event after the last checkpoint before it
   * that still matches (the rewrite happened between the two), or, when the chain holds nothing there (events
   * deleted at the tail), the event the checkpoint signed.
   */
  private async pin(
    failure: CheckpointResult,
    all: readonly CheckpointResult[],
    verifiedBefore: bigint,
  ): Promise<{
    chainSeq: bigint;
    eventId: bigint | null;
    failure: CheckpointFailure;
    detail: string;
  }> {
    const seq = failure.chainSeq ?? 0n;
    const reason = failure.failure!;
    if (reason === 'checkpoint_event_missing') {
      // The signed event itself is gone (at the tail when the chain now ends before it).
      const head = await this.chain.head();
      return {
        chainSeq: seq,
        eventId: failure.eventId,
        failure: reason,
        detail:
          `checkpoint ${failure.objectKey}: ${CHECKPOINT_DETAIL[reason]}; it signed event ${failure.eventId} ` +
          `at seq ${seq}, the chain now ends at seq ${head?.chainSeq ?? 0n}`,
      };
    }
    const goodBefore = all
      .filter((c) => !c.failure && c.chainSeq !== null && c.chainSeq < seq)
      .at(-1)?.chainSeq;
    // An incremental run trusts what the run before it verified.
    const after =
      goodBefore !== undefined && goodBefore !== null && goodBefore > verifiedBefore
        ? goodBefore
        : verifiedBefore;
    const first = await this.chain.firstSealedAfter(after);
    const detail =
      `checkpoint ${failure.objectKey}: ${CHECKPOINT_DETAIL[reason]}; ` +
      (after > 0n
        ? `the chain is known intact up to seq ${after} (a matching checkpoint or an earlier verification), so it changed after it`
        : 'no earlier checkpoint matches, so the chain may have changed from its start');
    if (first && first.chainSeq <= seq) {
      return { chainSeq: first.chainSeq, eventId: first.id, failure: reason, detail };
    }
    return { chainSeq: seq, eventId: failure.eventId, failure: reason, detail };
  }
}

const CHECKPOINT_DETAIL: Record<CheckpointFailure, string> = {
  checkpoint_malformed: 'the object is not a checkpoint document, or its key does not name its chain seq',
  checkpoint_key_unknown: 'signed with another key than the configured AUDIT_SIGNING_KEY',
  checkpoint_signature_invalid: 'the signature does not verify (the object was altered or forged)',
  checkpoint_event_missing: 'the chain holds no event at its seq any more (deleted)',
  checkpoint_mismatch:
    'the event at its seq no longer has the id and hash it signed (the chain was rewritten)',
};

export function describeChainBreak(b: ChainBreak): string {
  switch (b.reason) {
    case 'seq_gap':
      return `chain seq ${b.found} follows ${BigInt(b.expected) - 1n}: the events in between are missing`;
    case 'prev_mismatch':
      return 'the event does not link to the hash of its predecessor (an event was deleted, inserted or rehashed)';
    case 'hash_mismatch':
      return 'the event no longer hashes to its stored hash (its row was changed)';
    case 'digest_mismatch':
      return 'the payload no longer matches the digest written with the change';
  }
}
