import {
  EMPTY_CHAIN,
  sealEvents,
  type ChainEventContent,
  type ChainHead,
  type SealedChainEvent,
} from '@ecc/audit-domain';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';

interface EventRow {
  id: string;
  chain_seq: string | null;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  digest: string;
  payload: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * (The aliases shadow the columns' names: an ORDER BY must name the table's column, `audit_events.id`, or it
 * would sort the text.)
 *
 * The columns of an event exactly as the chain hashes them, read the same way by the sealer and the verifier:
 * ids as text (bigint), the time as ISO text with milliseconds (timestamptz(3)), the payload as the text of
 * the stored jsonb, parsed in JS.
 */
const EVENT_COLUMNS = Prisma.sql`id::text AS id, chain_seq::text AS chain_seq,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  actor_kind::text AS actor_kind, actor_id::text AS actor_id, action, entity_type, entity_id, request_id,
  digest, payload::text AS payload, prev_hash, hash`;

function toEvent(row: EventRow): SealedChainEvent {
  return {
    id: BigInt(row.id),
    chainSeq: row.chain_seq === null ? 0n : BigInt(row.chain_seq),
    occurredAt: new Date(row.occurred_at),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    requestId: row.request_id,
    digest: row.digest,
    payload: row.payload === null ? null : JSON.parse(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface ChainHeadEvent extends ChainHead {
  eventId: bigint;
}

export interface AuditCheckpointRow {
  chainSeq: bigint;
  eventId: bigint;
  headHash: string;
  objectKey: string;
  keyId: string;
  signature: string;
  createdAt: Date;
}

/** The sealer takes this transaction-level lock: one sealer at a time over all workers. */
const SEALER_LOCK = 'ecc.audit-sealer';
const CHECKPOINTER_LOCK = 'ecc.audit-checkpointer';

/**
 * The audit hash chain in the database: sealing committed events (one sealer at a time), reading the chain in
 * order for verification, and the convenience copy of the signed checkpoints.
 */
export class AuditChainRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Seals up to `limit` committed, unsealed events in id order after the current head, in one transaction:
   * null when another sealer holds the lock (nothing done), else how many were sealed.
   */
  async sealBatch(limit: number): Promise<number | null> {
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtext(${SEALER_LOCK})) AS locked`;
        if (!lock?.locked) return null;
        const head = (await this.headIn(tx)) ?? EMPTY_CHAIN;
        const rows = await tx.$queryRaw<EventRow[]>`
          SELECT ${EVENT_COLUMNS} FROM audit_events
          WHERE chain_seq IS NULL ORDER BY audit_events.id LIMIT ${limit} FOR UPDATE`;
        if (rows.length === 0) return 0;
        const events: ChainEventContent[] = rows.map(toEvent);
        const { sealed } = sealEvents(head, events);
        // With the time as well as the id, each row is found in its own month's partition.
        await tx.$executeRaw`
          UPDATE audit_events AS a SET chain_seq = u.seq, prev_hash = u.prev, hash = u.hash
          FROM unnest(${sealed.map((s) => s.id.toString())}::text[]::bigint[],
                      ${rows.map((r) => r.occurred_at)}::text[]::timestamptz[],
                      ${sealed.map((s) => s.chainSeq.toString())}::text[]::bigint[],
                      ${sealed.map((s) => s.prevHash)}::text[],
                      ${sealed.map((s) => s.hash)}::text[]) AS u(id, at, seq, prev, hash)
          WHERE a.id = u.id AND a.occurred_at = u.at`;
        return sealed.length;
      },
      { timeout: 60_000 },
    );
  }

  /** The last sealed event (highest chain_seq), or null for an empty chain. */
  async head(): Promise<ChainHeadEvent | null> {
    return this.headIn(this.db);
  }

  private async headIn(db: Tx | PrismaClient): Promise<ChainHeadEvent | null> {
    const [row] = await db.$queryRaw<{ id: string; chain_seq: string; hash: string | null }[]>`
      SELECT id::text AS id, chain_seq::text AS chain_seq, hash FROM audit_events
      WHERE chain_seq IS NOT NULL ORDER BY audit_events.chain_seq DESC LIMIT 1`;
    if (!row) return null;
    return { eventId: BigInt(row.id), chainSeq: BigInt(row.chain_seq), hash: row.hash ?? '' };
  }

  /** Sealed events after `afterSeq`, in chain order. */
  async sealedAfter(afterSeq: bigint, limit: number): Promise<SealedChainEvent[]> {
    const rows = await this.db.$queryRaw<EventRow[]>`
      SELECT ${EVENT_COLUMNS} FROM audit_events
      WHERE chain_seq > ${afterSeq.toString()}::bigint ORDER BY audit_events.chain_seq LIMIT ${limit}`;
    return rows.map(toEvent);
  }

  /** The id and hash of the events at these chain seqs. */
  async atSeqs(seqs: readonly bigint[]): Promise<Map<bigint, { id: bigint; hash: string | null }>> {
    if (seqs.length === 0) return new Map();
    const rows = await this.db.$queryRaw<{ id: string; chain_seq: string; hash: string | null }[]>`
      SELECT id::text AS id, chain_seq::text AS chain_seq, hash FROM audit_events
      WHERE chain_seq = ANY(${seqs.map(String)}::text[]::bigint[])`;
    return new Map(rows.map((r) => [BigInt(r.chain_seq), { id: BigInt(r.id), hash: r.hash }]));
  }

  /** The first sealed event after `afterSeq` (the first event a failed checkpoint can pin), if any. */
  async firstSealedAfter(afterSeq: bigint): Promise<{ id: bigint; chainSeq: bigint } | null> {
    const [row] = await this.db.$queryRaw<{ id: string; chain_seq: string }[]>`
      SELECT id::text AS id, chain_seq::text AS chain_seq FROM audit_events
      WHERE chain_seq > ${afterSeq.toString()}::bigint ORDER BY audit_events.chain_seq LIMIT 1`;
    return row ? { id: BigInt(row.id), chainSeq: BigInt(row.chain_seq) } : null;
  }

  /** Committed events not linked into the chain yet. */
  async unsealedCount(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events WHERE chain_seq IS NULL`;
    return row?.n ?? 0;
  }

  /** The newest checkpoint recorded in the database (the convenience copy), or null. */
  async lastCheckpoint(): Promise<AuditCheckpointRow | null> {
    return this.db.auditCheckpoint.findFirst({ orderBy: { chainSeq: 'desc' } });
  }

  /** Records the copy of a stored checkpoint; a copy already recorded (same seq or key) is kept. */
  async recordCheckpoint(row: AuditCheckpointRow, tx: Tx | PrismaClient = this.db): Promise<void> {
    await tx.auditCheckpoint.createMany({ data: [row], skipDuplicates: true });
  }

  /**
   * Runs `work` in a transaction holding the checkpointer's lock (one checkpointer at a time over all
   * workers, so that two never race to write the same object); null when another one holds it.
   */
  async underCheckpointLock<T>(work: (tx: Tx) => Promise<T>): Promise<T | null> {
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtext(${CHECKPOINTER_LOCK})) AS locked`;
        return lock?.locked ? work(tx) : null;
      },
      { timeout: 60_000 },
    );
  }
}
