import type { Prisma, PrismaClient } from '@ecc/shared-data';
import { CHANGES_ONLY } from '@ecc/audit-data';

/**
 * Everything that belongs to one case, for its trace and its exported file: the case and its sub-cases
 * (一超四罚), the lead(s) it came from (a sub-case's lead is its parent's), the lead's detections, notices,
 * fences and interception alerts, and the case's own records. The ids found here select the audit events.
 */
export interface CaseScope {
  case: CaseRow;
  subCases: CaseRow[];
  caseIds: string[];
  leadIds: string[];
  detectionIds: string[];
  noticeIds: string[];
  fenceIds: string[];
  alertIds: string[];
}

const caseSelect = {
  id: true,
  caseNumber: true,
  state: true,
  type: true,
  parentCaseId: true,
  leadId: true,
  violationDate: true,
  filedAt: true,
  decidedAt: true,
  closedAt: true,
  archivedAt: true,
  createdAt: true,
} satisfies Prisma.CaseSelect;
export type CaseRow = Prisma.CaseGetPayload<{ select: typeof caseSelect }>;

export class CaseScopeRepository {
  constructor(private readonly db: PrismaClient) {}

  /** The case's snapshot as stored (the remedies against its decision are read from it); null: no case. */
  async workflowOf(caseId: string): Promise<unknown> {
    const row = await this.db.case.findUnique({ where: { id: caseId }, select: { workflow: true } });
    return row?.workflow ?? null;
  }

  async load(caseId: string): Promise<CaseScope | null> {
    const row = await this.db.case.findUnique({ where: { id: caseId }, select: caseSelect });
    if (!row) return null;
    const subCases = await this.db.case.findMany({
      where: { parentCaseId: caseId },
      select: caseSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const caseIds = [row.id, ...subCases.map((c) => c.id)];
    let leadId = row.leadId;
    if (!leadId && row.parentCaseId) {
      leadId =
        (await this.db.case.findUnique({ where: { id: row.parentCaseId }, select: { leadId: true } }))
          ?.leadId ?? null;
    }
    const leadIds = leadId ? [leadId] : [];
    const [links, notices, fences] = await Promise.all([
      this.db.leadDetection.findMany({ where: { leadId: { in: leadIds } }, select: { detectionId: true } }),
      this.db.notice.findMany({
        where: { OR: [{ caseId: { in: caseIds } }, { leadId: { in: leadIds } }] },
        select: { id: true },
      }),
      this.db.fence.findMany({
        where: { OR: [{ caseId: { in: caseIds } }, { leadId: { in: leadIds } }] },
        select: { id: true },
      }),
    ]);
    const fenceIds = fences.map((f) => f.id);
    const alerts = await this.db.interceptionAlert.findMany({
      where: { fenceId: { in: fenceIds } },
      select: { id: true },
    });
    return {
      case: row,
      subCases,
      caseIds,
      leadIds,
      detectionIds: links.map((l) => l.detectionId),
      noticeIds: notices.map((n) => n.id),
      fenceIds,
      alertIds: alerts.map((a) => a.id),
    };
  }

  /** The evidence of the case: its lead's detections' objects and the objects attached to the case itself. */
  evidence(scope: Pick<CaseScope, 'detectionIds'>, caseIds: readonly string[]) {
    return this.db.evidenceObject.findMany({
      where: { OR: [{ detectionId: { in: [...scope.detectionIds] } }, { caseId: { in: [...caseIds] } }] },
      orderBy: [{ createdAt: 'asc' }, { kind: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * The audit events of every entity of the scope, oldest first: the case and sub-cases, lead, detections,
   * notices, fences, interception alerts and evidence objects, and the penalty batches that issued the case.
   */
  auditEvents(scope: CaseScope, evidenceIds: readonly string[]) {
    const byType: [string, readonly string[]][] = [
      ['case', scope.caseIds],
      ['lead', scope.leadIds],
      ['detection', scope.detectionIds],
      ['notice', scope.noticeIds],
      ['fence', scope.fenceIds],
      ['interception_alert', scope.alertIds],
      ['evidence_object', evidenceIds],
    ];
    return this.db.auditEvent.findMany({
      where: {
        ...CHANGES_ONLY,
        OR: [
          ...byType
            .filter(([, ids]) => ids.length > 0)
            .map(([entityType, ids]) => ({ entityType, entityId: { in: [...ids] } })),
          ...scope.caseIds.map((id) => ({
            entityType: 'penalty_batch',
            payload: { path: ['caseIds'], array_contains: [id] },
          })),
        ],
      },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** The last event of these that the hash chain has sealed (highest chain position). */
  lastSealed(eventIds: readonly bigint[]) {
    if (eventIds.length === 0) return Promise.resolve(null);
    return this.db.auditEvent.findFirst({
      where: { id: { in: [...eventIds] }, hash: { not: null }, chainSeq: { not: null } },
      orderBy: { chainSeq: 'desc' },
      select: { id: true, chainSeq: true, hash: true, occurredAt: true },
    });
  }

  /** The domain records behind the trace's entries. */
  async records(scope: CaseScope) {
    const caseIds = scope.caseIds;
    const [
      leads,
      detections,
      notices,
      fences,
      alerts,
      documents,
      approvals,
      investigations,
      statements,
      legalReviews,
      decisions,
      services,
      payments,
      penalties,
    ] = await Promise.all([
      this.db.lead.findMany({
        where: { id: { in: scope.leadIds } },
        select: {
          id: true,
          status: true,
          plate: true,
          violationAt: true,
          grossMassKg: true,
          limitKg: true,
          excessKg: true,
          reviewedById: true,
          reviewedAt: true,
          createdAt: true,
        },
      }),
      this.db.detection.findMany({
        where: { id: { in: scope.detectionIds } },
        select: {
          id: true,
          stationDetectionId: true,
          plate: true,
          detectedAt: true,
          receivedAt: true,
          outcome: true,
          grossMassKg: true,
          axleCount: true,
          station: { select: { code: true } },
        },
      }),
      this.db.notice.findMany({
        where: { id: { in: scope.noticeIds } },
        select: {
          id: true,
          leadId: true,
          caseId: true,
          channel: true,
          recipient: true,
          template: true,
          status: true,
          sentAt: true,
          deliveredAt: true,
          createdAt: true,
          attempts: { orderBy: { attemptNo: 'asc' } },
        },
      }),
      this.db.fence.findMany({ where: { id: { in: scope.fenceIds } } }),
      this.db.interceptionAlert.findMany({ where: { id: { in: scope.alertIds } } }),
      this.db.caseDocument.findMany({
        where: { caseId: { in: caseIds } },
        select: {
          id: true,
          caseId: true,
          kind: true,
          title: true,
          documentNumber: true,
          currentVersion: true,
          createdAt: true,
          versions: {
            orderBy: { version: 'asc' },
            select: { id: true, version: true, contentSha256: true, authorId: true, createdAt: true },
          },
        },
      }),
      this.db.caseApproval.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.investigationRecord.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.statementRecord.findMany({
        where: { caseId: { in: caseIds } },
        select: { id: true, caseId: true, kind: true, receivedAt: true, heldAt: true, createdAt: true },
      }),
      this.db.legalReview.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.decision.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.serviceRecord.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.payment.findMany({ where: { caseId: { in: caseIds } } }),
      this.db.penalty.findMany({ where: { caseId: { in: caseIds } } }),
    ]);
    return {
      leads,
      detections,
      notices,
      fences,
      alerts,
      documents,
      approvals,
      investigations,
      statements,
      legalReviews,
      decisions,
      services,
      payments,
      penalties,
    };
  }

  /** Users and stations named by actor ids. */
  async actors(ids: readonly string[]) {
    const unique = [...new Set(ids)];
    const [users, stations] = await Promise.all([
      this.db.user.findMany({
        where: { id: { in: unique } },
        select: { id: true, username: true, displayName: true },
      }),
      this.db.station.findMany({ where: { id: { in: unique } }, select: { id: true, code: true } }),
    ]);
    return { users, stations };
  }

  /** The case's documents with every version's content, for the export. */
  documentsWithContent(caseId: string) {
    return this.db.caseDocument.findMany({
      where: { caseId },
      select: {
        id: true,
        kind: true,
        title: true,
        documentNumber: true,
        currentVersion: true,
        createdAt: true,
        versions: {
          orderBy: { version: 'asc' },
          select: { version: true, contentText: true, contentHtml: true, createdAt: true },
        },
      },
    });
  }
}
