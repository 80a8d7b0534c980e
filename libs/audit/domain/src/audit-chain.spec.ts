import { digestOf } from '@ecc/shared-kernel';
import {
  EMPTY_CHAIN,
  GENESIS_HASH,
  eventHash,
  payloadMatchesDigest,
  sealEvents,
  verifyChain,
  type ChainEventContent,
  type SealedChainEvent,
} from './audit-chain';

function content(id: number, changes: unknown = { n: id }): ChainEventContent {
  const base = { action: 'user.created', entityType: 'user', entityId: `u-${id}` };
  return {
    id: BigInt(id),
    occurredAt: new Date(Date.UTC(2026, 10, 28, 12, 0, id)),
    actorKind: 'user',
    actorId: '6f1c2b9e-0000-4000-8000-000000000001',
    ...base,
    requestId: `req-${id}`,
    digest: digestOf({ ...base, changes }),
    payload: changes,
  };
}

/** A sealed chain of n events (ids 10, 11, ...) as the sealer would write it. */
function chain(n: number): SealedChainEvent[] {
  const events = Array.from({ length: n }, (_, i) => content(10 + i));
  const { sealed } = sealEvents(EMPTY_CHAIN, events);
  return events.map((e, i) => ({ ...e, ...sealed[i]! }));
}

describe('audit hash chain', () => {
  it('starts at seq 1 after the genesis hash and links each event to its predecessor', () => {
    const events = chain(3);
    expect(events.map((e) => e.chainSeq)).toEqual([1n, 2n, 3n]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    expect(events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes every field of the content, the previous hash and the position', () => {
    const event = { ...content(1), chainSeq: 1n };
    const base = eventHash(GENESIS_HASH, event);
    expect(eventHash(GENESIS_HASH, { ...event })).toBe(base);
    const variants: Partial<SealedChainEvent>[] = [
      { id: 2n },
      { chainSeq: 2n },
      { occurredAt: new Date(event.occurredAt.getTime() + 1) },
      { actorKind: 'system' },
      { actorId: null },
      { action: 'user.updated' },
      { entityType: 'case' },
      { entityId: 'u-2' },
      { requestId: null },
      { digest: 'f'.repeat(64) },
      { payload: { n: 2 } },
    ];
    for (const change of variants) expect(eventHash(GENESIS_HASH, { ...event, ...change })).not.toBe(base);
    expect(eventHash('1'.repeat(64), event)).not.toBe(base);
    // Key order of the payload does not matter (canonical JSON), its values do.
    const nested = { ...event, payload: { a: 1, b: { c: [1, 2] } } };
    expect(eventHash(GENESIS_HASH, nested)).toBe(
      eventHash(GENESIS_HASH, { ...nested, payload: { b: { c: [1, 2] }, a: 1 } }),
    );
  });

  it('verifies an intact chain across batches, carrying the state', () => {
    const events = chain(5);
    const first = verifyChain(events.slice(0, 2));
    expect(first.break).toBeNull();
    const second = verifyChain(events.slice(2), first.state);
    expect(second.break).toBeNull();
    expect(second.state.checked).toBe(5);
    expect(second.state.head).toEqual({ chainSeq: 5n, hash: events[4]!.hash });
    expect(verifyChain([]).break).toBeNull();
  });

  it('a changed row breaks at that event (hash_mismatch)', () => {
    const events = chain(4);
    events[2] = { ...events[2]!, entityId: 'someone-else' };
    const result = verifyChain(events);
    expect(result.break).toMatchObject({ reason: 'hash_mismatch', eventId: 12n, chainSeq: 3n });
    expect(result.state.checked).toBe(2);
  });

  it('a deleted row breaks at the event after the gap (seq_gap), a deleted first row too', () => {
    const events = chain(4);
    expect(verifyChain([events[0]!, events[2]!, events[3]!]).break).toMatchObject({
      reason: 'seq_gap',
      eventId: 12n,
      expected: '2',
      found: '3',
    });
    expect(verifyChain(events.slice(1)).break).toMatchObject({ reason: 'seq_gap', eventId: 11n });
  });

  it('a renumbered chain without its deleted row breaks at the link (prev_mismatch)', () => {
    const events = chain(4);
    const renumbered = [events[0]!, { ...events[2]!, chainSeq: 2n }, { ...events[3]!, chainSeq: 3n }];
    expect(verifyChain(renumbered).break).toMatchObject({ reason: 'prev_mismatch', eventId: 12n });
  });

  it('a payload changed together with its hash but not its digest breaks at that event (digest_mismatch)', () => {
    const events = chain(3);
    const tampered = { ...events[1]!, payload: { n: 999 } };
    tampered.hash = eventHash(tampered.prevHash!, tampered);
    events[1] = tampered;
    // The next event still links to the old hash: recompute it too, as a consistent rewrite would.
    events[2] = { ...events[2]!, prevHash: tampered.hash };
    events[2].hash = eventHash(tampered.hash, events[2]);
    expect(verifyChain(events).break).toMatchObject({ reason: 'digest_mismatch', eventId: 11n });
  });

  it('an event without changes matches a digest written with or without the changes key', () => {
    const base = { action: 'x.done', entityType: 'x', entityId: '1' };
    const event = { ...content(1), ...base, payload: null };
    expect(payloadMatchesDigest({ ...event, digest: digestOf({ ...base, changes: null }) })).toBe(true);
    expect(payloadMatchesDigest({ ...event, digest: digestOf(base) })).toBe(true);
    expect(payloadMatchesDigest({ ...event, digest: digestOf({ ...base, changes: {} }) })).toBe(false);
  });
});
