import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, timeRange } from '@ecc/platform-nest';
import { AuditEventsRepository, type AuditEventRecord } from '@ecc/audit-data';
import { decodeAuditCursor, encodeAuditCursor } from './audit-event-cursor';
import type { AuditEventView, ListAuditEventsQuery } from './audit-events.schema';

export function toAuditEventView(e: AuditEventRecord): AuditEventView {
  return {
    id: e.id.toString(),
    chainSeq: e.chainSeq?.toString() ?? null,
    occurredAt: e.occurredAt.toISOString(),
    actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    requestId: e.requestId,
    digest: e.digest,
    payload: e.payload,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** The audit trail, newest first (by event id), filtered by entity, actor, action and time. */
@Injectable()
export class ListAuditEventsUseCase {
  constructor(
    private readonly events: AuditEventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: ListAuditEventsQuery) {
    const [entityType, ...rest] = query.entity ? query.entity.split(':') : [];
    const entityId = rest.length ? rest.join(':') : query.entityId;
    const rows = await this.events.list({
      entityType,
      entityId,
      ...(query.actor === 'system' ? { actorKind: 'system' as const } : { actorId: query.actor }),
      action: query.action,
      ...timeRange(query, this.config.bureau.timeZone),
      beforeId: query.cursor ? decodeAuditCursor(query.cursor) : undefined,
      // one more than asked: whether there is a next page
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toAuditEventView),
      nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last.id) : null,
    };
  }
}
