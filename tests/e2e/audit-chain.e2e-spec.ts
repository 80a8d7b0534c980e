import { eventHash, GENESIS_HASH } from '@ecc/audit-domain';
import { digestOf } from '@ecc/shared-kernel';
import {
  ADMIN,
  call,
  makeUser,
  spawnApp,
  startTestStack,
  stopProcess,
  tokenFor,
  type TestApi,
  type TestStack,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The tamper-evident audit trail (issue 6): the worker seals committed audit events into a hash chain and
 * signs its head into object storage; GET /audit/verify finds a row changed or deleted directly in SQL at the
 * right event, and a consistent rewrite of the whole table (every hash recomputed) through the checkpoints.
 * The file has its own database and bucket, so it tampers freely. Intervals are tiny, and every wait polls.
 */

jest.setTimeout(120_000);

interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  firstBrokenChainSeq: string | null;
  reason: string | null;
  detail: string | null;
  unsealed: number;
  head: { chainSeq: string; eventId: string } | null;
  checkpointsChecked: number;
  checkpointsFailed: number;
  lastCheckpoint: { chainSeq: string; objectKey: string; createdAt: string } | null;
}

/** The columns as the chain hashes them (the same reading as the sealer's). */
const CHAIN_COLUMNS = `id::text AS id, chain_seq::text AS chain_seq,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  actor_kind::text AS actor_kind, actor_id::text AS actor_id, action, entity_type, entity_id, request_id,
  digest, payload::text AS payload, prev_hash, hash`;

interface ChainRow {
  id: string;
  chain_seq: string;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  digest: string;
  payload: string | null;
  prev_hash: string;
  hash: string;
}

describe('audit hash chain: sealing, checkpoints, verification and its alert', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  let auditor: { token: string; id: string };
  let approver: { token: string; id: string };

  const verify = async (): Promise<Verification> => {
    const res = await call<Verification>(api, 'GET', '/api/v1/audit/verify', { token: auditor.token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const eventAt = async (seq: number | string): Promise<ChainRow> => {
    const { rows } = await api.db.query<ChainRow>(
      `SELECT ${CHAIN_COLUMNS} FROM audit_events WHERE chain_seq = $1`,
      [String(seq)],
    );
    if (!rows[0]) throw new Error(`no event at chain seq ${seq}`);
    return rows[0];
  };
  const checkpointSeqs = async (): Promise<number[]> => {
    const { rows } = await api.db.query<{ seq: string }>(
      'SELECT chain_seq::text AS seq FROM audit_checkpoints ORDER BY chain_seq',
    );
    return rows.map((r) => Number(r.seq));
  };
  /** Everything committed is sealed, and the head is checkpointed. */
  let lastSeen: unknown;
  const settled = () =>
    waitFor('the chain sealed and its head checkpointed', async () => {
      const v = await verify();
      lastSeen = v;
      return v.ok && v.unsealed === 0 && v.head && v.lastCheckpoint?.chainSeq === v.head.chainSeq
        ? v
        : undefined;
    }).catch((error: Error) => {
      // What the last verification said, and what the worker logged: the reason it did not settle.
      throw new Error(`${error.message}: ${JSON.stringify(lastSeen)}\n${stack.worker.output().slice(-4000)}`);
    });

  beforeAll(async () => {
    stack = await startTestStack('auditchain', {
      AUDIT_SEAL_INTERVAL_MS: '50',
      AUDIT_CHECKPOINT_INTERVAL_MS: '100',
      AUDIT_VERIFY_INTERVAL_MS: '200',
    });
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    auditor = await makeUser(api, admin, 'chain.auditor', ['auditor']);
    approver = await makeUser(api, admin, 'chain.approver', ['approver']);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('seals every committed event into one chain from the genesis hash and checkpoints its head', async () => {
    for (const name of ['chain.a', 'chain.b', 'chain.c']) await makeUser(api, admin, name, ['auditor']);
    const first = await settled();
    // A second round, so that the chain has (at least) two checkpoints with events between them.
    for (const name of ['chain.d', 'chain.e', 'chain.f', 'chain.g'])
      await makeUser(api, admin, name, ['auditor']);
    const second = await settled();
    expect(Number(second.head!.chainSeq)).toBeGreaterThan(Number(first.head!.chainSeq));

    const { rows } = await api.db.query<{ n: number; sealed: number; max: string; min: string }>(
      `SELECT count(*)::int AS n, count(chain_seq)::int AS sealed, max(chain_seq)::text AS max,
              min(chain_seq)::text AS min FROM audit_events`,
    );
    expect(rows[0]).toEqual({ n: rows[0]!.n, sealed: rows[0]!.n, max: String(rows[0]!.n), min: '1' });
    expect(second).toMatchObject({
      ok: true,
      checked: rows[0]!.n,
      firstBrokenEventId: null,
      reason: null,
      unsealed: 0,
      checkpointsFailed: 0,
    });
    expect(second.checkpointsChecked).toBeGreaterThanOrEqual(2);
    expect((await eventAt(1)).prev_hash).toBe(GENESIS_HASH);
    expect((await eventAt(2)).prev_hash).toBe((await eventAt(1)).hash);
    const seqs = await checkpointSeqs();
    expect(seqs).toContain(Number(first.head!.chainSeq));
    expect(seqs).toContain(Number(second.head!.chainSeq));
    expect(second.lastCheckpoint!.objectKey).toBe(
      `audit/checkpoints/${second.head!.chainSeq.padStart(20, '0')}.json`,
    );
  });

  it('lists the events for auditors and admins, newest first, filtered, in cursor pages', async () => {
    type Item = { id: string; entityType: string; chainSeq: string | null; hash: string | null };
    const page = (cursor: string | null) =>
      call<{ items: Item[]; nextCursor: string | null }>(
        api,
        'GET',
        `/api/v1/audit/events?entity=user&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: auditor.token },
      );
    const all: Item[] = [];
    for (let res = await page(null); ; res = await page(res.body.nextCursor)) {
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      all.push(...res.body.items);
      if (!res.body.nextCursor) break;
    }
    const { rows } = await api.db.query<{ id: string }>(
      "SELECT id::text AS id FROM audit_events WHERE entity_type = 'user' ORDER BY audit_events.id DESC",
    );
    expect(all.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    expect(all.every((e) => e.entityType === 'user' && e.chainSeq && /^[0-9a-f]{64}$/.test(e.hash!))).toBe(
      true,
    );

    const one = await call(api, 'GET', `/api/v1/audit/events?entity=user:${approver.id}`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0]).toMatchObject({
      entityType: 'user',
      entityId: approver.id,
      actor: { kind: 'user', name: ADMIN.username },
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const actorId = one.body.items[0].actor.id;
    const byActor = await call(api, 'GET', `/api/v1/audit/events?actor=${actorId}&limit=200`, {
      token: auditor.token,
    });
    expect(byActor.body.items.length).toBeGreaterThanOrEqual(9);
    expect(byActor.body.items.every((e: { actor: { id: string } }) => e.actor.id === actorId)).toBe(true);
    const byId = await call(
      api,
      'GET',
      `/api/v1/audit/events?entityId=${approver.id}&action=${one.body.items[0].action}`,
      {
        token: auditor.token,
      },
    );
    expect(byId.body.items.map((e: { id: string }) => e.id)).toEqual([one.body.items[0].id]);
    const future = await call(api, 'GET', '/api/v1/audit/events?from=2999-01-01T00:00:00Z', {
      token: auditor.token,
    });
    expect(future.body).toEqual({ items: [], nextCursor: null });

    expect((await call(api, 'GET', '/api/v1/audit/events', { token: approver.token })).status).toBe(403);
    expect((await call(api, 'GET', '/api/v1/audit/verify', { token: approver.token })).status).toBe(403);
    const badCursor = await call(api, 'GET', '/api/v1/audit/events?cursor=nope', { token: auditor.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('invalid_cursor');
    const both = await call(api, 'GET', `/api/v1/audit/events?entity=user:${approver.id}&entityId=x`, {
      token: auditor.token,
    });
    expect(both.status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/audit/events?actor=bob', { token: auditor.token })).status).toBe(
      400,
    );
  });

  describe('with the worker stopped (nothing seals or checkpoints while the table is tampered with)', () => {
    beforeAll(async () => {
      // The reads of the events above were audited too (personal_data.read): let them be sealed and checkpointed.
      await settled();
      await stopProcess(stack.worker.child);
      expect((await verify()).ok).toBe(true);
    });

    it('finds a row changed in SQL at that very event, and is ok again once it is restored', async () => {
      const victim = await eventAt(3);
      await api.db.query(`UPDATE audit_events SET payload = '{"tampered": true}'::jsonb WHERE id = $1`, [
        victim.id,
      ]);
      const v = await verify();
      expect(v).toMatchObject({
        ok: false,
        firstBrokenEventId: victim.id,
        firstBrokenChainSeq: '3',
        reason: 'hash_mismatch',
      });
      expect(v.checked).toBe(2);
      await api.db.query('UPDATE audit_events SET payload = $2::jsonb WHERE id = $1', [
        victim.id,
        victim.payload,
      ]);
      expect((await verify()).ok).toBe(true);

      // Another column, not only the payload: someone else did it.
      await api.db.query(
        "UPDATE audit_events SET actor_kind = 'user', actor_id = gen_random_uuid() WHERE id = $1",
        [victim.id],
      );
      expect(await verify()).toMatchObject({
        ok: false,
        firstBrokenEventId: victim.id,
        reason: 'hash_mismatch',
      });
      await api.db.query(
        'UPDATE audit_events SET actor_kind = $2::actor_kind, actor_id = $3::uuid WHERE id = $1',
        [victim.id, victim.actor_kind, victim.actor_id],
      );
      expect((await verify()).ok).toBe(true);
    });

    it('finds a deleted row at the event after the gap', async () => {
      const checkpoints = await checkpointSeqs();
      const seq = [4, 5, 6, 7].find((s) => !checkpoints.includes(s))!;
      const victim = await eventAt(seq);
      const next = await eventAt(seq + 1);
      await api.db.query('CREATE TEMP TABLE deleted_event AS SELECT * FROM audit_events WHERE id = $1', [
        victim.id,
      ]);
      await api.db.query('DELETE FROM audit_events WHERE id = $1', [victim.id]);
      const v = await verify();
      expect(v).toMatchObject({
        ok: false,
        firstBrokenEventId: next.id,
        firstBrokenChainSeq: String(seq + 1),
        reason: 'seq_gap',
      });
      await api.db.query('INSERT INTO audit_events SELECT * FROM deleted_event');
      await api.db.query('DROP TABLE deleted_event');
      expect((await verify()).ok).toBe(true);
    });

    it('finds events deleted at the tail through the checkpoint that signed them', async () => {
      const before = await verify();
      const head = before.head!;
      expect(before.lastCheckpoint!.chainSeq).toBe(head.chainSeq);
      await api.db.query(
        'CREATE TEMP TABLE deleted_tail AS SELECT * FROM audit_events WHERE chain_seq = $1',
        [head.chainSeq],
      );
      await api.db.query('DELETE FROM audit_events WHERE chain_seq = $1', [head.chainSeq]);
      const v = await verify();
      expect(v).toMatchObject({
        ok: false,
        firstBrokenEventId: head.eventId,
        firstBrokenChainSeq: head.chainSeq,
        reason: 'checkpoint_event_missing',
      });
      expect(v.checked).toBe(Number(head.chainSeq) - 1);
      await api.db.query('INSERT INTO audit_events SELECT * FROM deleted_tail');
      await api.db.query('DROP TABLE deleted_tail');
      expect((await verify()).ok).toBe(true);
    });

    it('catches a consistent rewrite of the whole table (every digest and hash recomputed) by its checkpoints', async () => {
      const checkpoints = await checkpointSeqs();
      const last = checkpoints.at(-1)!;
      const previous = checkpoints.filter((s) => s < last).at(-1) ?? 0;
      // Rewrite the checkpointed head event: its payload and digest, then every hash of the chain.
      const victim = await eventAt(last);
      const forged = { forged: true };
      await api.db.query('UPDATE audit_events SET payload = $2::jsonb, digest = $3 WHERE id = $1', [
        victim.id,
        JSON.stringify(forged),
        digestOf({
          action: victim.action,
          entityType: victim.entity_type,
          entityId: victim.entity_id,
          changes: forged,
        }),
      ]);
      const { rows } = await api.db.query<ChainRow>(
        `SELECT ${CHAIN_COLUMNS} FROM audit_events ORDER BY audit_events.chain_seq`,
      );
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const hash = eventHash(prev, {
          id: BigInt(row.id),
          chainSeq: BigInt(row.chain_seq),
          occurredAt: new Date(row.occurred_at),
          actorKind: row.actor_kind,
          actorId: row.actor_id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          requestId: row.request_id,
          digest: row.digest,
          payload: row.payload === null ? null : JSON.parse(row.payload),
        });
        await api.db.query('UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE id = $1', [
          row.id,
          prev,
          hash,
        ]);
        prev = hash;
      }
      // The database's own copy of the checkpoints is rewritten too: verification does not trust it.
      await api.db.query('UPDATE audit_checkpoints SET head_hash = $2 WHERE chain_seq = $1', [
        String(last),
        prev,
      ]);

      const v = await verify();
      const expectedFirst = await eventAt(previous + 1);
      expect(v).toMatchObject({
        ok: false,
        checked: rows.length,
        reason: 'checkpoint_mismatch',
        firstBrokenEventId: expectedFirst.id,
        firstBrokenChainSeq: String(previous + 1),
      });
      expect(v.checkpointsFailed).toBe(1);
      expect(v.lastCheckpoint!.chainSeq).toBe(String(previous));
    });

    it('the scheduled verification alerts every active admin and auditor once per break, not at every run', async () => {
      const broken = await verify();
      expect(broken.ok).toBe(false);
      const worker = spawnApp('worker', api.env);
      try {
        const alerts = () =>
          api.db.query<{ user_id: string; message: string }>(
            "SELECT user_id::text, message FROM staff_alerts WHERE kind = 'audit_chain_broken' ORDER BY user_id",
          );
        const { rows: admins } = await api.db.query<{ id: string }>(
          `SELECT DISTINCT u.id::text AS id FROM users u JOIN user_roles r ON r.user_id = u.id
           WHERE u.active AND r.role IN ('admin', 'auditor')`,
        );
        expect(admins.length).toBeGreaterThanOrEqual(9);
        await waitFor('the audit_chain_broken alerts', async () =>
          (await alerts()).rows.length >= admins.length ? true : undefined,
        );
        // Several more runs (every 200 ms): still one alert per person.
        await waitFor('more verification runs', async () =>
          (worker.output().match(/the audit chain failed verification/g) ?? []).length >= 4
            ? true
            : undefined,
        );
        const { rows } = await alerts();
        expect(rows.map((r) => r.user_id).sort()).toEqual(admins.map((a) => a.id).sort());
        expect(rows.every((r) => r.message.includes(`event ${broken.firstBrokenEventId}`))).toBe(true);
        expect(rows.map((r) => r.user_id)).not.toContain(approver.id);

        const mine = await call(api, 'GET', '/api/v1/me/alerts', { token: auditor.token });
        expect(mine.status).toBe(200);
        expect(JSON.stringify(mine.body)).toContain('audit_chain_broken');
      } finally {
        await stopProcess(worker.child);
      }
    });
  });
});
