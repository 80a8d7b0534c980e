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

export async function recordAudit(
  tx: Tx,
  entry: AuditEntry,
  occurredAt = new Date(),
): Promise<{ id: bigint; digest: string }> {
  const digest = digestOf({
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
  });
  const row = await tx.auditEvent.create({
    data: {
      occurredAt,
      actorKind: entry.actor.kind,
      actorId: entry.actor.kind === 'system' ? null : entry.actor.id,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      requestId: entry.requestId ?? null,
      digest,
      payload: JSON.parse(JSON.stringify(entry.changes ?? null)),
    },
    select: { id: true },
  });
  return { id: row.id, digest };
}
