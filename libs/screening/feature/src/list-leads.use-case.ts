import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, timeRange } from '@ecc/platform-nest';
import { normalisePlate } from '@ecc/shared-kernel';
import { LeadsRepository } from '@ecc/screening-data';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor';
import { toLeadView } from './lead-view';
import type { LeadPage, ListLeadsQuery } from './leads.schema';

/** Leads newest first, filtered, a page at a time (the cursor is stable while new leads arrive). */
@Injectable()
export class ListLeadsUseCase {
  constructor(
    private readonly leads: LeadsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: ListLeadsQuery): Promise<LeadPage> {
    const after = query.cursor ? decodeLeadCursor(query.cursor) : undefined;
    const page = await this.leads.list(
      {
        status: query.status,
        stationCode: query.station,
        // Leads store the plate as written on the licence (normalised).
        plate: query.plate ? normalisePlate(query.plate) : undefined,
        ...timeRange(query, this.config.bureau.timeZone),
      },
      query.limit,
      after,
    );
    return {
      items: page.items.map((lead) => {
        const { evidence: _evidence, rules: _rules, ...summary } = toLeadView(lead);
        return summary;
      }),
      nextCursor: page.next ? encodeLeadCursor(page.next) : null,
    };
  }
}
