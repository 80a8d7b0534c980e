import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  CASE_STATES,
  CASE_TYPES,
  allowedActions,
  caseActionTitle,
  deadlineHistory,
  runningDeadlines,
} from '@ecc/cases-domain';
import { CaseDocumentsRepository, CasesRepository, LeadReviewRepository } from '@ecc/cases-data';
import { DomainError, localDate, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import type { Actor } from '@ecc/identity-domain';
import { CLOCK, PRISMA } from '@ecc/platform-nest';
import { CHANGES_ONLY } from '@ecc/audit-data';
import { caseDocumentTitle } from './case-document-templates';
import { CaseEnvironmentProvider } from './case-environment';

export const listCasesQuerySchema = z.strictObject({
  state: z.enum(CASE_STATES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  leadId: z.string().uuid().optional(),
  /** cases on which this user is an officer */
  officerId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});

const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string') throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw new DomainError('validation', 'invalid_cursor', 'the cursor is not one this API returned', {
      errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
    });
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Read side of cases: one case for the caller, lists, the timeline, documents with their versions. */
@Injectable()
export class CaseQueries {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly cases: CasesRepository,
    private readonly documents: CaseDocumentsRepository,
    private readonly leads: LeadReviewRepository,
    private readonly env: CaseEnvironmentProvider,
  ) {}

  async get(id: string, caller: Actor) {
    const loaded = await this.cases.load(id);
    if (!loaded) throw notFound('case', id);
    const { row, snapshot } = loaded;
    const now = this.clock.now();
    const env = await this.env.at(now);
    const actor = await this.env.caseActor(caller);
    const users = await this.prisma.user.findMany({
      where: { id: { in: snapshot.officers.map((o) => o.userId) } },
      select: { id: true, displayName: true },
    });
    return {
      id: row.id,
      caseNumber: row.caseNumber,
      state: row.state,
      type: row.type,
      version: row.version,
      leadId: row.leadId,
      plate: row.lead?.plate ?? row.vehicle?.plate ?? null,
      violationDate: localDate(row.violationDate, 'UTC'),
      facts: row.facts,
      filedAt: iso(row.filedAt),
      decidedAt: iso(row.decidedAt),
      servedAt: iso(row.servedAt),
      closedAt: iso(row.closedAt),
      archivedAt: iso(row.archivedAt),
      proposedPenalty: snapshot.proposedPenalty ?? null,
      decision: snapshot.decision
        ? { penalty: snapshot.decision.penalty, decidedAt: iso(snapshot.decision.decidedAt) }
        : null,
      payments: snapshot.payments.map((p) => ({ ...p, paidAt: p.paidAt.toISOString() })),
      parties: row.parties.map((p) => ({
        role: p.role,
        partyId: p.partyId,
        kind: p.party.kind,
        name: p.party.name,
        idNumber: p.party.idNumber,
        phone: p.party.phone,
        address: p.party.address,
      })),
      officers: snapshot.officers.map((o) => ({
        userId: o.userId,
        displayName: users.find((u) => u.id === o.userId)?.displayName ?? null,
        enforcementCertificateNo: o.enforcementCertificateNo,
      })),
      allowedActions: allowedActions(snapshot, actor, now, env.policy, env.timeZone, env.calendar),
      runningDeadlines: runningDeadlines(snapshot, now).map((d) => ({
        ...d,
        startedAt: d.startedAt.toISOString(),
        dueAt: d.dueAt.toISOString(),
      })),
      deadlines: deadlineHistory(snapshot, now).map((d) => ({
        ...d,
        startedAt: d.startedAt.toISOString(),
        dueAt: d.dueAt.toISOString(),
        stoppedAt: d.stoppedAt?.toISOString() ?? null,
      })),
      documents: row.documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        title: d.title,
        documentNumber: d.documentNumber,
        currentVersion: d.currentVersion,
        createdAt: d.createdAt.toISOString(),
        updatedAt: (d.versions[0]?.createdAt ?? d.createdAt).toISOString(),
      })),
      flags: snapshot.flags.map((f) => ({ ...f, raisedAt: f.raisedAt.toISOString() })),
    };
  }

  async list(query: ListCasesQuery) {
    const { rows, more } = await this.cases.list({
      state: query.state,
      type: query.type,
      leadId: query.leadId,
      officerId: query.officerId,
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({
        id: r.id,
        caseNumber: r.caseNumber,
        state: r.state,
        type: r.type,
        leadId: r.leadId,
        plate: r.vehicle?.plate ?? null,
        violationDate: localDate(r.violationDate, 'UTC'),
        filedAt: iso(r.filedAt),
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /**
   * Every step (audit events of the case and its lead), document version and notice, in order; a case action
   * and a document carry their title (the action's declaration, the document's template).
   */
  async timeline(id: string) {
    const row = await this.prisma.case.findUnique({ where: { id }, select: { id: true, leadId: true } });
    if (!row) throw notFound('case', id);
    const [events, versions, notices] = await Promise.all([
      this.prisma.auditEvent.findMany({
        where: {
          ...CHANGES_ONLY,
          OR: [
            { entityType: 'case', entityId: id },
            ...(row.leadId ? [{ entityType: 'lead', entityId: row.leadId }] : []),
          ],
        },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      }),
      this.prisma.caseDocumentVersion.findMany({
        where: { document: { caseId: id } },
        include: { document: { select: { kind: true, title: true, documentNumber: true } } },
        orderBy: { createdAt: 'asc' },
      }),
      this.prisma.notice.findMany({
        where: { OR: [{ caseId: id }, ...(row.leadId ? [{ leadId: row.leadId }] : [])] },
        orderBy: { createdAt: 'asc' },
      }),
    ]);
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((a): a is string => !!a))];
    const users = await this.prisma.user.findMany({
      where: { id: { in: actorIds } },
      select: { id: true, displayName: true },
    });
    const name = (uid: string | null) =>
      uid ? (users.find((u) => u.id === uid)?.displayName ?? null) : null;
    const entries = [
      ...events.map((e) => ({
        at: e.occurredAt,
        seq: 0,
        kind: 'step' as const,
        action: e.action,
        title: caseActionTitle(e.action) ?? null,
        actorId: e.actorId,
        actorName: name(e.actorId),
        detail: e.payload,
      })),
      ...versions.map((v) => ({
        at: v.createdAt,
        seq: 1,
        kind: 'document' as const,
        action: `document.${v.document.kind}`,
        title: caseDocumentTitle(v.document.kind),
        actorId: v.authorId,
        actorName: name(v.authorId),
        detail: {
          documentId: v.documentId,
          title: v.document.title,
          documentNumber: v.document.documentNumber,
          version: v.version,
        },
      })),
      ...notices.map((n) => ({
        at: n.createdAt,
        seq: 2,
        kind: 'notice' as const,
        action: `notice.${n.channel}`,
        title: null,
        actorId: null,
        actorName: null,
        detail: { noticeId: n.id, recipient: n.recipient, status: n.status, template: n.template },
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
    return {
      caseId: id,
      entries: entries.map(({ seq: _seq, at, ...e }) => ({ at: at.toISOString(), ...e })),
    };
  }

  async document(caseId: string, documentId: string) {
    const doc = await this.documents.findWithVersions(caseId, documentId);
    if (!doc) throw notFound('case_document', documentId);
    return {
      id: doc.id,
      caseId: doc.caseId,
      kind: doc.kind,
      title: doc.title,
      documentNumber: doc.documentNumber,
      status: doc.status,
      currentVersion: doc.currentVersion,
      versions: doc.versions.map((v) => ({
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        authorId: v.authorId,
        contentSha256: v.contentSha256,
        text: v.contentText,
        html: v.contentHtml,
      })),
    };
  }

  async ownerUnknownLeads(query: z.infer<typeof pageQuerySchema>) {
    const { rows, more } = await this.leads.ownerUnknown(
      query.limit,
      query.cursor ? decodeCursor(query.cursor) : undefined,
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((l) => ({
        id: l.id,
        status: l.status,
        plate: l.plate,
        plateColour: l.plateColour,
        stationCode: l.station.code,
        violationAt: l.violationAt.toISOString(),
        reviewedAt: iso(l.reviewedAt),
        createdAt: l.createdAt.toISOString(),
      })),
      nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }
}
