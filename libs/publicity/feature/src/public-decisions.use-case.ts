import { Injectable } from '@nestjs/common';
import { PublicationsRepository, type PublicationRow } from '@ecc/publicity-data';
import { DomainError, notFound } from '@ecc/shared-kernel';
import type { FeedQuery, PublicationView, PublicDecisionsQuery } from './publicity.schema';

/** Opaque page cursor (pages go newest first): base64url of `p.<publishedAt ISO>.<id>`. */
function encodeCursor(publishedAt: Date, id: string): string {
  return Buffer.from(`p.${publishedAt.toISOString()}.${id}`, 'utf8').toString('base64url');
}

function decodeCursor(value: string): { publishedAt: Date; id: string } {
  const text = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^p\.(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\.([0-9a-f-]{36})$/.exec(text);
  if (!match)
    throw new DomainError('validation', 'invalid_cursor', 'the cursor is not one this API returned', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  return { publishedAt: new Date(match[1]!), id: match[2]! };
}

/** The public side: the decisions published now, and the feed of publications and withdrawals. */
@Injectable()
export class PublicDecisionsUseCase {
  constructor(private readonly publications: PublicationsRepository) {}

  async list(query: PublicDecisionsQuery) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.publications.listPublished(query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, publishedAt: r.publishedAt.toISOString(), ...r.content })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.publishedAt, last.id) : null,
    };
  }

  async feed(query: FeedQuery) {
    const since = BigInt(query.since);
    const events = await this.publications.feed(since, query.limit + 1);
    const page = events.slice(0, query.limit);
    return {
      events: page.map((e) => ({
        seq: e.seq.toString(),
        kind: e.kind,
        occurredAt: e.occurredAt.toISOString(),
        publicationId: e.publicationId,
        decision: e.kind === 'published' ? e.body : null,
        withdrawal: e.kind === 'withdrawn' ? e.body : null,
      })),
      next: (page[page.length - 1]?.seq ?? since).toString(),
      more: events.length > query.limit,
    };
  }

  /** Staff: what became of a case's decision publication. */
  async ofCase(caseId: string): Promise<PublicationView> {
    const row = await this.publications.byCase(caseId);
    if (!row) throw notFound('publication', caseId);
    return publicationView(row);
  }
}

export function publicationView(row: PublicationRow): PublicationView {
  return {
    id: row.id,
    caseId: row.caseId,
    status: row.status,
    rule: row.rule,
    content: row.content as PublicationView['content'],
    decidedAt: row.decidedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    withdrawal:
      row.withdrawnAt && row.withdrawalGround && row.revokedAt && row.withdrawalDueAt
        ? {
            withdrawnAt: row.withdrawnAt.toISOString(),
            ground: row.withdrawalGround,
            reason: row.withdrawalReason ?? '',
            reference: row.withdrawalReference,
            revokedAt: row.revokedAt.toISOString(),
            dueAt: row.withdrawalDueAt.toISOString(),
            late: row.withdrawnAt.getTime() > row.withdrawalDueAt.getTime(),
          }
        : null,
  };
}
