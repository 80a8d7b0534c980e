import { canonicalJson, digestOf, sha256Hex } from '@ecc/shared-kernel';

/** The prev hash of the first event of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The version of the hashed content (bumped if the hashed fields ever change). */
export const CHAIN_VERSION = 1;

/**
 * An audit event as the chain sees it: the stored row, read back from the database (payload as the stored
 * jsonb parsed into JS), so that the sealer and the verifier hash exactly the same values.
 */
export interface ChainEventContent {
  id: bigint;
  occurredAt: Date;
  actorKind: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  /** sha256 hex of canonical JSON of {action, entityType, entityId, changes}, written with the change. */
  digest: string;
  payload: unknown;
}

/** A sealed event: its place in the chain, its predecessor's hash and its own. */
export interface SealedChainEvent extends ChainEventContent {
  chainSeq: bigint;
  prevHash: string | null;
  hash: string | null;
}

/**
 * The hash of an event at `chainSeq` following `prevHash`: sha256 hex of the canonical JSON of its content.
 * Ids and sequence numbers are hashed as decimal strings, the time as ISO 8601 UTC with milliseconds.
 */
export function eventHash(prevHash: string, event: ChainEventContent & { chainSeq: bigint }): string {
  return sha256Hex(
    canonicalJson({
      v: CHAIN_VERSION,
      prevHash,
      chainSeq: event.chainSeq.toString(),
      id: event.id.toString(),
      occurredAt: event.occurredAt.toISOString(),
      actorKind: event.actorKind,
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      requestId: event.requestId,
      digest: event.digest,
      payload: event.payload,
    }),
  );
}

/**
 * Whether the payload still matches the digest written with the change. The writer computes the digest of the
 * same JSON value it stores; an event without changes may have been digested without the `changes` key.
 */
export function payloadMatchesDigest(event: ChainEventContent): boolean {
  const base = { action: event.action, entityType: event.entityType, entityId: event.entityId };
  if (digestOf({ ...base, changes: event.payload }) === event.digest) return true;
  return event.payload === null && digestOf(base) === event.digest;
}

/** Where the sealer links the next events: the head of the chain (seq 0 and GENESIS_HASH when empty). */
export interface ChainHead {
  chainSeq: bigint;
  hash: string;
}

export const EMPTY_CHAIN: ChainHead = { chainSeq: 0n, hash: GENESIS_HASH };

/** Links unsealed events (in seal order) after the head: their seq, prev hash and hash. */
export function sealEvents(
  head: ChainHead,
  events: readonly ChainEventContent[],
): { sealed: { id: bigint; chainSeq: bigint; prevHash: string; hash: string }[]; head: ChainHead } {
  let current = head;
  const sealed = events.map((event) => {
    const chainSeq = current.chainSeq + 1n;
    const hash = eventHash(current.hash, { ...event, chainSeq });
    const link = { id: event.id, chainSeq, prevHash: current.hash, hash };
    current = { chainSeq, hash };
    return link;
  });
  return { sealed, head: current };
}

/**
 * Why the chain breaks at an event:
 * - `seq_gap`: the sequence skips (an event was deleted) or does not start at 1;
 * - `prev_mismatch`: the event does not link to its predecessor's hash (an event deleted or inserted, or the
 *   predecessor's hash rewritten);
 * - `hash_mismatch`: the event's content no longer hashes to its stored hash (the row was changed);
 * - `digest_mismatch`: the payload no longer matches the digest written with the change.
 */
export type ChainBreakReason = 'seq_gap' | 'prev_mismatch' | 'hash_mismatch' | 'digest_mismatch';

export interface ChainBreak {
  reason: ChainBreakReason;
  eventId: bigint;
  chainSeq: bigint;
  expected: string;
  found: string | null;
}

/** What a verifier carries from one batch to the next. */
export interface ChainVerifyState {
  /** The last verified event (seq 0 and GENESIS_HASH before the first). */
  head: ChainHead;
  checked: number;
}

export const INITIAL_VERIFY_STATE: ChainVerifyState = { head: EMPTY_CHAIN, checked: 0 };

/**
 * A pure fold over sealed events in chain_seq order, batch after batch: stops at the first event that breaks
 * the chain. Feed it the state it returned for the next batch.
 */
export function verifyChain(
  events: readonly SealedChainEvent[],
  state: ChainVerifyState = INITIAL_VERIFY_STATE,
): { state: ChainVerifyState; break: ChainBreak | null } {
  let { head, checked } = state;
  for (const event of events) {
    const at = { eventId: event.id, chainSeq: event.chainSeq };
    const expectedSeq = head.chainSeq + 1n;
    if (event.chainSeq !== expectedSeq) {
      return {
        state: { head, checked },
        break: {
          ...at,
          reason: 'seq_gap',
          expected: expectedSeq.toString(),
          found: event.chainSeq.toString(),
        },
      };
    }
    if (event.prevHash !== head.hash) {
      return {
        state: { head, checked },
        break: { ...at, reason: 'prev_mismatch', expected: head.hash, found: event.prevHash },
      };
    }
    const hash = eventHash(head.hash, event);
    if (event.hash !== hash) {
      return {
        state: { head, checked },
        break: { ...at, reason: 'hash_mismatch', expected: hash, found: event.hash },
      };
    }
    if (!payloadMatchesDigest(event)) {
      return {
        state: { head, checked },
        break: {
          ...at,
          reason: 'digest_mismatch',
          expected: event.digest,
          found: digestOf({
            action: event.action,
            entityType: event.entityType,
            entityId: event.entityId,
            changes: event.payload,
          }),
        },
      };
    }
    head = { chainSeq: event.chainSeq, hash };
    checked++;
  }
  return { state: { head, checked }, break: null };
}
