import { Injectable } from '@nestjs/common';
import { normalisePlate } from '@ecc/screening-domain';
import { LeadsRepository } from '@ecc/screening-data';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor';
import { toLeadView } from './lead-view';
import type { LeadPage, ListLeadsQuery } from './leads.schema';

/** Leads newest first, filtered, a page at a time (the cursor is stable while new leads arrive). */
@Injectable()
export class ListLeadsUseCase {
  constructor(private readonly leads: LeadsRepository) {}

  async execute(query: ListLeadsQuery): Promise<LeadPage> {
    const after = query.cursor ? decodeLeadCursor(query.cursor) : undefined;
    const page = await this.leads.list(
      {
        status: query.status,
        stationCode: query.station,
        // Leads store the plate as written on the licence (normalised).
        plate: query.plate ? normalisePlate(query.plate) : undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
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
