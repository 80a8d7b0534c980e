import { digestOf } from '@ecc/shared-kernel';
import type { Actor } from '@ecc/identity-domain';
import type { Tx } from '@ecc/shared-data';

/**
 * One audit event per state-changing command, written with the transaction client of the change
 * itself: either both are committed or neither is.
 */
export interface AuditEntry {
  actor: Actor;
  /** `<context>.<verb>`, e.g. `user.created`, `lead.reviewed`. */
  action: string;
  entityType: string;
  entityId: string;
  requestId?: string;
  /** What changed (new values, or {before, after}); personal data is allowed here, the table is access-controlled. */
  changes: unknown;
}

/**
 * The values of the audit row of an entry, digest included: recordAudit writes them through Prisma, and a
 * hot path that inserts its audit event inside one SQL statement with the change (intake) writes the very same
 * values, so the two cannot diverge.
 */
export const auditRow = (entry: AuditEntry, occurredAt: Date) => {
  // The digest is of the JSON value that is stored (a Date as its ISO string, a Decimal as its string, ...),
  // so that the verifier of the audit chain can recompute it from the stored payload.
  const payload = JSON.parse(JSON.stringify(entry.changes ?? null));
  const digest = digestOf({
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: payload,
  });
  return {
    digest,
    data: {
      occurredAt,
      actorKind: entry.actor.kind,
      actorId: entry.actor.kind === 'system' ? null : entry.actor.id,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      requestId: entry.requestId ?? null,
      digest,
      payload,
    },
  };
};

/** The values of an audit row as `auditRow` computes them: what a statement inserting it by hand writes. */
export type AuditRowValues = ReturnType<typeof auditRow>['data'];

export async function recordAudit(
  tx: Tx,
  entry: AuditEntry,
  occurredAt = new Date(),
): Promise<{ id: bigint; digest: string }> {
  const { digest, data } = auditRow(entry, occurredAt);
  const row = await tx.auditEvent.create({ data, select: { id: true } });
  return { id: row.id, digest };
}

/** Many events of one command (a registry import: one per changed record), inserted in batches. */
export async function recordAudits(
  tx: Tx,
  entries: readonly AuditEntry[],
  occurredAt = new Date(),
): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    await tx.auditEvent.createMany({
      data: entries.slice(i, i + 1000).map((entry) => auditRow(entry, occurredAt).data),
    });
  }
}

/**
 * The action of an audited read (an auditor's read of personal data): an access, not a change. Histories of
 * an entity (a case's timeline and trace) leave these out; `GET /audit/events?action=personal_data.read`
 * lists them.
 */
export const PERSONAL_DATA_READ = 'personal_data.read';

/** A Prisma `where` fragment keeping only the events that record changes. */
export const CHANGES_ONLY = { action: { not: PERSONAL_DATA_READ } } as const;
