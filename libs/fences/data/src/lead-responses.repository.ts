import type { PrismaClient, Tx } from '@ecc/shared-data';

export interface LeadResponseRow {
  id: string;
  leadId: string;
  respondedAt: Date;
  channel: string;
  note: string | null;
  recordedById: string;
  createdAt: Date;
}

/** 当事人到案: the response that stops a lead's response window. */
export class LeadResponsesRepository {
  constructor(private readonly db: PrismaClient) {}

  /** The lead, locked, with what a response needs to know. */
  async lockLead(tx: Tx, leadId: string) {
    await tx.$queryRaw`SELECT id FROM leads WHERE id = ${leadId}::uuid FOR UPDATE`;
    return tx.lead.findUnique({
      where: { id: leadId },
      select: { id: true, status: true, reviewedAt: true, responses: { select: { id: true } } },
    });
  }

  async create(
    tx: Tx,
    input: {
      leadId: string;
      respondedAt: Date;
      channel: string;
      note: string | null;
      recordedById: string;
      at: Date;
    },
  ): Promise<LeadResponseRow> {
    return tx.leadResponse.create({
      data: {
        leadId: input.leadId,
        respondedAt: input.respondedAt,
        channel: input.channel,
        note: input.note,
        recordedById: input.recordedById,
        createdAt: input.at,
      },
    });
  }

  /** Stops the lead's open response window as met (the party came forward); returns how many were open. */
  async stopResponseWindow(tx: Tx, leadId: string, respondedAt: Date): Promise<number> {
    const result = await tx.deadline.updateMany({
      where: { leadId, kind: 'response_window', status: 'open' },
      data: { status: 'met', stoppedAt: respondedAt, stoppedBy: 'party_responded' },
    });
    return result.count;
  }

  async ofLead(leadId: string, db: Tx | PrismaClient = this.db): Promise<LeadResponseRow | null> {
    return db.leadResponse.findUnique({ where: { leadId } });
  }
}
