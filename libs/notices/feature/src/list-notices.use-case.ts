import { Injectable } from '@nestjs/common';
import { NoticesRepository } from '@ecc/notices-data';
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
      before: query.before ? new Date(query.before) : undefined,
      limit: query.limit,
    });
    return { items: rows.map(toNoticeView) };
  }
}
