import { Injectable } from '@nestjs/common';
import { NoticesRepository } from '@ecc/notices-data';
import { decodeNoticeCursor, encodeNoticeCursor } from './notice-cursor';
import { toNoticeView } from './notice-view';
import type { ListNoticesQuery } from './notices.schema';

/** Notices newest first, with their attempts (with the local provider: the messages "sent"). */
@Injectable()
export class ListNoticesUseCase {
  constructor(private readonly notices: NoticesRepository) {}

  async execute(query: ListNoticesQuery) {
    const rows = await this.notices.list({
      status: query.status,
      channel: query.channel,
      leadId: query.leadId,
      caseId: query.caseId,
      after: query.cursor ? decodeNoticeCursor(query.cursor) : undefined,
      // one more than asked: whether there is a next page
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toNoticeView),
      nextCursor: rows.length > query.limit && last ? encodeNoticeCursor(last) : null,
    };
  }
}
