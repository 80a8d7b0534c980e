import { Readable } from 'node:stream';
import {
  EMPTY_CHAIN,
  checkpointObjectKey,
  eventHash,
  sealEvents,
  signCheckpoint,
  signingKeyFromSeed,
  verifyingKeyFromHex,
  publicKeyHex,
  type SealedChainEvent,
} from '@ecc/audit-domain';
import type { AuditChainRepository } from '@ecc/audit-data';
import { digestOf, type ObjectStorage } from '@ecc/shared-kernel';
import { VERIFY_BATCH, VerifyAuditChainUseCase } from './verify-audit-chain.use-case';

const key = signingKeyFromSeed('cd'.repeat(32));
const clock = { now: () => new Date('2026-11-28T16:00:00Z') };

/** A sealed chain of n events, ids 100, 101, ... */
function chain(n: number): SealedChainEvent[] {
  const events = Array.from({ length: n }, (_, i) => {
    const base = { action: 'x.done', entityType: 'x', entityId: String(i) };
    return {
      id: BigInt(100 + i),
      occurredAt: new Date(Date.UTC(2026, 10, 28, 0, 0, 0, i)),
      actorKind: 'system',
      actorId: null,
      ...base,
      requestId: null,
      digest: digestOf({ ...base, changes: { i } }),
      payload: { i } as unknown,
    };
  });
  const { sealed } = sealEvents(EMPTY_CHAIN, events);
  return events.map((e, i) => ({ ...e, ...sealed[i]! }));
}

/** Every hash recomputed from the first event on, as a consistent rewrite does. */
function rehash(events: SealedChainEvent[]): void {
  let prev = EMPTY_CHAIN.hash;
  for (const e of events) {
    e.prevHash = prev;
    e.hash = eventHash(prev, e);
    prev = e.hash;
  }
}

function fakes(events: SealedChainEvent[], retired: ReturnType<typeof verifyingKeyFromHex>[] = []) {
  const objects = new Map<string, string>();
  const bySeq = () => [...events].sort((a, b) => Number(a.chainSeq - b.chainSeq));
  const repository = {
    unsealedCount: async () => 0,
    sealedAfter: async (after: bigint, limit: number) =>
      bySeq()
        .filter((e) => e.chainSeq > after)
        .slice(0, limit)
        .map((e) => ({ ...e })),
    head: async () => {
      const last = bySeq().at(-1);
      return last ? { chainSeq: last.chainSeq, eventId: last.id, hash: last.hash ?? '' } : null;
    },
    atSeqs: async (seqs: readonly bigint[]) =>
      new Map(events.filter((e) => seqs.includes(e.chainSeq)).map((e) => [e.chainSeq, e])),
    firstSealedAfter: async (after: bigint) => bySeq().find((e) => e.chainSeq > after) ?? null,
  } as unknown as AuditChainRepository;
  const storage = {
    bucket: 'test',
    listKeys: async (prefix: string) => [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(),
    get: async (k: string) => Readable.from([Buffer.from(objects.get(k)!)]),
  } as unknown as ObjectStorage;
  const checkpoint = (seq: number) => {
    const e = events.find((x) => x.chainSeq === BigInt(seq))!;
    const signed = signCheckpoint(
      { chainSeq: e.chainSeq, eventId: e.id, headHash: e.hash! },
      key,
      clock.now(),
    );
    objects.set(checkpointObjectKey(e.chainSeq), JSON.stringify(signed));
  };
  const useCase = new VerifyAuditChainUseCase(clock, storage, key, repository, retired);
  return { useCase, objects, checkpoint };
}

describe('VerifyAuditChainUseCase', () => {
  it('an intact chain with its checkpoints is ok', async () => {
    const events = chain(8);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(3);
    checkpoint(6);
    expect(await useCase.execute()).toMatchObject({
      ok: true,
      checked: 8,
      firstBrokenEventId: null,
      reason: null,
      head: { chainSeq: '8', eventId: '107' },
      checkpointsChecked: 2,
      checkpointsFailed: 0,
      lastCheckpoint: { chainSeq: '6', objectKey: checkpointObjectKey(6n) },
    });
  });

  it('a consistent rewrite: the first event after the last checkpoint that still matches', async () => {
    const events = chain(8);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(3);
    checkpoint(6);
    checkpoint(8);
    const victim = events[4]!; // seq 5
    victim.payload = { forged: true };
    victim.digest = digestOf({
      action: victim.action,
      entityType: victim.entityType,
      entityId: victim.entityId,
      changes: victim.payload,
    });
    rehash(events);
    const v = await useCase.execute();
    expect(v).toMatchObject({
      ok: false,
      checked: 8,
      reason: 'checkpoint_mismatch',
      firstBrokenEventId: '103',
      firstBrokenChainSeq: '4',
      checkpointsChecked: 3,
      checkpointsFailed: 2,
      lastCheckpoint: { chainSeq: '3' },
    });
    expect(v.detail).toMatch(/known intact up to seq 3/);
  });

  it('a rewrite before the first checkpoint pins the start of the chain', async () => {
    const events = chain(5);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(4);
    events[1]!.requestId = 'rewritten';
    rehash(events);
    expect(await useCase.execute()).toMatchObject({
      ok: false,
      reason: 'checkpoint_mismatch',
      firstBrokenEventId: '100',
      firstBrokenChainSeq: '1',
      lastCheckpoint: null,
    });
  });

  it('events deleted at the tail: the checkpoint that signed them', async () => {
    const events = chain(6);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(2);
    checkpoint(6);
    events.splice(4, 2);
    expect(await useCase.execute()).toMatchObject({
      ok: false,
      checked: 4,
      reason: 'checkpoint_event_missing',
      firstBrokenEventId: '105',
      firstBrokenChainSeq: '6',
    });
  });

  it('a checkpoint object altered in storage fails its signature', async () => {
    const events = chain(4);
    const { useCase, checkpoint, objects } = fakes(events);
    checkpoint(4);
    const objectKey = checkpointObjectKey(4n);
    const altered = { ...JSON.parse(objects.get(objectKey)!), headHash: 'f'.repeat(64) };
    objects.set(objectKey, JSON.stringify(altered));
    expect(await useCase.execute()).toMatchObject({
      ok: false,
      reason: 'checkpoint_signature_invalid',
      checkpointsFailed: 1,
    });
  });

  it('a chain break inside the range of a failed checkpoint: the earliest event that range cannot vouch for', async () => {
    const events = chain(8);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(2);
    checkpoint(7);
    // Seq 5 rewritten consistently (every hash recomputed), then seq 6 changed without its hash: the fold
    // breaks at 6, but the events from 3 on are no longer vouched for by the checkpoint at 7.
    events[4]!.requestId = 'rewritten';
    rehash(events);
    events[5]!.entityId = 'changed';
    const v = await useCase.execute();
    expect(v).toMatchObject({
      ok: false,
      reason: 'checkpoint_mismatch',
      firstBrokenEventId: '102',
      firstBrokenChainSeq: '3',
      checked: 5,
    });
    expect(v.detail).toMatch(/the chain itself also breaks at event 105 \(hash_mismatch\)/);
  });

  it('a chain break before the range of a failed checkpoint is the answer', async () => {
    const events = chain(8);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(4);
    checkpoint(7);
    // Seq 6 on rewritten consistently (caught by the checkpoint at 7 only from seq 5), seq 2 changed.
    events[5]!.requestId = 'rewritten';
    let prev = events[4]!.hash!;
    for (const e of events.slice(5)) {
      e.prevHash = prev;
      e.hash = eventHash(prev, e);
      prev = e.hash;
    }
    events[1]!.entityId = 'changed';
    const v = await useCase.execute();
    expect(v).toMatchObject({ ok: false, reason: 'hash_mismatch', firstBrokenEventId: '101', checked: 1 });
    expect(v.detail).toMatch(/also checkpoint .*07\.json/);
  });

  it('a checkpointed event deleted in the middle: that very event, named by its checkpoint', async () => {
    const events = chain(6);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(2);
    checkpoint(4);
    events.splice(3, 1); // seq 4
    expect(await useCase.execute()).toMatchObject({
      ok: false,
      reason: 'checkpoint_event_missing',
      firstBrokenEventId: '103',
      firstBrokenChainSeq: '4',
    });
  });

  it('folds across batches: a row deleted right after a batch boundary is found at the next event', async () => {
    const events = chain(VERIFY_BATCH + 3);
    const { useCase } = fakes(events);
    events.splice(VERIFY_BATCH, 1); // seq VERIFY_BATCH + 1
    expect(await useCase.execute()).toMatchObject({
      ok: false,
      reason: 'seq_gap',
      checked: VERIFY_BATCH,
      firstBrokenChainSeq: String(VERIFY_BATCH + 2),
      firstBrokenEventId: String(100 + VERIFY_BATCH + 1),
    });
  });
});

describe('VerifyAuditChainUseCase after an earlier verification (the worker between its full runs)', () => {
  it('reads only what was sealed after the event it verified, and hands on where it got to', async () => {
    const events = chain(8);
    const { useCase, checkpoint } = fakes(events);
    checkpoint(3);
    checkpoint(7);
    const full = await useCase.execute();
    expect(full).toMatchObject({ ok: true, checked: 8, scope: { kind: 'full' }, checkpointsChecked: 2 });
    expect(full.verifiedThrough).toEqual({ chainSeq: '8', hash: events[7]!.hash });

    const since = { chainSeq: 5n, hash: events[4]!.hash! };
    expect(await useCase.execute(since)).toMatchObject({
      ok: true,
      checked: 3,
      scope: { kind: 'since', afterChainSeq: '5' },
      checkpointsChecked: 1,
      verifiedThrough: { chainSeq: '8', hash: events[7]!.hash },
    });
  });

  it('finds a change after that event, but leaves one before it to the next full run', async () => {
    const events = chain(8);
    const { useCase } = fakes(events);
    const since = { chainSeq: 5n, hash: events[4]!.hash! };
    events[6]!.payload = { forged: true }; // seq 7, after: found at once
    expect(await useCase.execute(since)).toMatchObject({
      ok: false,
      firstBrokenEventId: '106',
      reason: 'hash_mismatch',
    });
    events[6]!.payload = { i: 6 };
    events[1]!.payload = { forged: true }; // seq 2, before
    expect((await useCase.execute(since)).ok).toBe(true);
    expect(await useCase.execute()).toMatchObject({ ok: false, firstBrokenEventId: '101' });
  });

  it('finds a rewrite that reaches back to the event it verified (its hash no longer links)', async () => {
    const events = chain(8);
    const { useCase } = fakes(events);
    const since = { chainSeq: 5n, hash: events[4]!.hash! };
    events[4]!.payload = { forged: true };
    rehash(events); // seq 5 onwards hash differently: seq 6 no longer follows the hash verified for seq 5
    expect(await useCase.execute(since)).toMatchObject({
      ok: false,
      firstBrokenEventId: '105',
      reason: 'prev_mismatch',
    });
  });
});

describe('VerifyAuditChainUseCase after a rotation of the signing key', () => {
  it('verifies the checkpoints of a retired key when its public key is configured, and only then', async () => {
    const events = chain(6);
    const old = signingKeyFromSeed('ab'.repeat(32));
    const signedByOld = (objects: Map<string, string>) => {
      const e = events[2]!;
      objects.set(
        checkpointObjectKey(e.chainSeq),
        JSON.stringify(
          signCheckpoint({ chainSeq: e.chainSeq, eventId: e.id, headHash: e.hash! }, old, clock.now()),
        ),
      );
    };
    const without = fakes(events);
    signedByOld(without.objects);
    without.checkpoint(5);
    expect(await without.useCase.execute()).toMatchObject({ ok: false, reason: 'checkpoint_key_unknown' });

    const withRetired = fakes(events, [verifyingKeyFromHex(publicKeyHex(old.publicKey))]);
    signedByOld(withRetired.objects);
    withRetired.checkpoint(5);
    expect(await withRetired.useCase.execute()).toMatchObject({
      ok: true,
      checkpointsChecked: 2,
      checkpointsFailed: 0,
    });
  });
});
