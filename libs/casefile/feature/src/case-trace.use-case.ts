import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { caseActionTitle } from '@ecc/cases-domain';
import { CaseScopeRepository } from '@ecc/casefile-data';
import { notFound } from '@ecc/shared-kernel';
import { LEAD_TRANSITIONS } from '@ecc/leads-domain';

const auditRefSchema = z
  .object({
    eventId: z.string().describe('audit_events.id'),
    chainSeq: z.string().nullable().describe('position in the hash chain; null: not sealed yet'),
    hash: z.string().nullable().describe('hash-chain value of the event; null: not sealed yet'),
    digest: z.string().describe('sha256 of what the event recorded (canonical JSON)'),
  })
  .describe('the audit event recording this step; null when the step has no event of its own');

const entrySchema = z.object({
  at: z.string().describe('ISO instant'),
  kind: z
    .string()
    .describe('the audit action (case.approve_filing, lead.confirmed, notice.sent, …) or a record kind'),
  caseId: z.string().nullable().describe('the case or sub-case the step belongs to; null: the lead'),
  actor: z.object({
    kind: z.enum(['user', 'station', 'system']),
    id: z.string().nullable(),
    username: z.string().optional(),
    displayName: z.string().optional(),
    stationCode: z.string().optional(),
  }),
  summary: z.string(),
  entity: z.object({ type: z.string(), id: z.string() }),
  audit: auditRefSchema.nullable(),
  details: z
    .record(z.string(), z.unknown())
    .describe('what the event recorded (`changes`) and the domain records it produced (`records`)'),
});

const evidenceSchema = z.object({
  id: z.string(),
  kind: z.string(),
  key: z.string(),
  sha256: z.string(),
  size: z.number(),
  contentType: z.string(),
  detectionId: z.string().nullable(),
  caseId: z.string().nullable(),
  integrityStatus: z.enum(['unverified', 'intact', 'mismatch', 'missing']),
  lastVerifiedAt: z.string().nullable(),
  observedSha256: z.string().nullable(),
});

const caseSummarySchema = z.object({
  id: z.string(),
  caseNumber: z.string().nullable(),
  type: z.string(),
  state: z.string(),
  parentCaseId: z.string().nullable(),
  leadId: z.string().nullable(),
  createdAt: z.string(),
});

export const caseTraceSchema = z.object({
  case: caseSummarySchema,
  entries: z.array(entrySchema).describe('every step of the case, its lead and sub-cases, oldest first'),
  evidence: z.array(evidenceSchema).describe('evidence with its stored integrity mark (no re-hash here)'),
  subCases: z.array(caseSummarySchema),
  audit: z.object({
    events: z.number().int(),
    sealed: z.number().int(),
    lastSealed: z
      .object({ eventId: z.string(), chainSeq: z.string(), hash: z.string(), occurredAt: z.string() })
      .nullable(),
  }),
});
export type CaseTrace = z.infer<typeof caseTraceSchema>;
type Entry = CaseTrace['entries'][number];

/** Which audit actions record each kind of case record (all `case.<action>` unless noted). */
const RECORD_ACTIONS: Record<string, readonly string[]> = {
  approval: ['approve_filing', 'reject_filing', 'approve_decision', 'terminate_case', 'close_case'],
  investigation: ['record_investigation'],
  statement: [
    'record_statement',
    'record_waiver',
    'request_hearing',
    'schedule_hearing',
    'record_hearing',
    'withdraw_hearing',
  ],
  legalReview: ['submit_legal_review', 'pass_legal_review', 'return_legal_review'],
  decision: ['approve_decision'],
  service: ['record_service'],
  payment: ['record_payment'],
};

/** Titles of the steps that are not case actions (those are titled by their declarations). */
const SUMMARIES: Record<string, string> = {
  'detection.received': '检测数据接收',
  'detection.evidence_received': '证据文件接收',
  'detection.screened': '自动筛查',
  'lead.created': '形成线索',
  // every transition of the lead lifecycle, titled where it is declared
  ...Object.fromEntries(Object.values(LEAD_TRANSITIONS).map((t) => [t.event, t.title])),
  'lead.owner_completed': '补全车主信息',
  'lead.responded': '当事人到案',
  'notice.sent': '告知/推送已发送',
  'notice.delivered': '告知/推送已送达',
  'notice.failed': '告知/推送发送失败',
  'notice.resent': '告知/推送重新发送',
  'notice.delivery_attempt': '告知/推送发送尝试',
  'fence.created': '电子围栏布控',
  'fence.lifted': '电子围栏撤控',
  'interception_alert.raised': '拦截预警',
  'interception_alert.acknowledged': '拦截预警已签收',
  'interception_alert.resolved': '拦截预警已处置',
  'case.created': '案件创建',
  'evidence.integrity_changed': '证据完整性状态变化',
};

/** The title of a step: a case action's own title (its declaration), else the table above. */
const summaryOf = (action: string): string => caseActionTitle(action) ?? SUMMARIES[action] ?? action;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

/**
 * GET /cases/{id}/trace: the whole history of a case from the audit trail (every change is audited with its
 * entity), joined with the domain records each event produced, each step with its actor, time and the
 * audit event's place in the hash chain.
 */
@Injectable()
export class CaseTraceUseCase {
  constructor(private readonly scopes: CaseScopeRepository) {}

  async execute(caseId: string): Promise<CaseTrace> {
    const scope = await this.scopes.load(caseId);
    if (!scope) throw notFound('case', caseId);
    const evidence = await this.scopes.evidence(scope, scope.caseIds);
    const [events, records] = await Promise.all([
      this.scopes.auditEvents(
        scope,
        evidence.map((e) => e.id),
      ),
      this.scopes.records(scope),
    ]);
    const { users, stations } = await this.scopes.actors(
      events.map((e) => e.actorId).filter((id): id is string => !!id),
    );
    const lastSealed = await this.scopes.lastSealed(events.map((e) => e.id));

    const caseOfEntity = (type: string, id: string): string | null => {
      if (type === 'case') return id;
      if (type === 'penalty_batch') return null;
      return null;
    };
    const entries: (Entry & { order: bigint })[] = events.map((e) => {
      const user = e.actorKind === 'user' ? users.find((u) => u.id === e.actorId) : undefined;
      const station = e.actorKind === 'station' ? stations.find((s) => s.id === e.actorId) : undefined;
      return {
        order: e.id,
        at: e.occurredAt.toISOString(),
        kind: e.action,
        caseId:
          e.entityType === 'penalty_batch'
            ? (scope.caseIds.find((id) => JSON.stringify(e.payload ?? {}).includes(id)) ?? null)
            : caseOfEntity(e.entityType, e.entityId),
        actor: {
          kind: e.actorKind,
          id: e.actorId,
          ...(user ? { username: user.username, displayName: user.displayName } : {}),
          ...(station ? { stationCode: station.code } : {}),
        },
        summary: summaryOf(e.action),
        entity: { type: e.entityType, id: e.entityId },
        audit: {
          eventId: e.id.toString(),
          chainSeq: e.chainSeq?.toString() ?? null,
          hash: e.hash,
          digest: e.digest,
        },
        details: { changes: plain(e.payload), records: {} as Record<string, unknown[]> },
      };
    });

    /** Attaches a record to the event of `entity` with one of `actions` nearest in time; false if none. */
    const attach = (
      group: string,
      record: unknown,
      at: Date,
      entity: { type: string; id: string },
      actions: readonly string[] | null,
      filter: (e: Entry) => boolean = () => true,
    ): boolean => {
      let best: (typeof entries)[number] | undefined;
      for (const entry of entries) {
        if (entry.entity.type !== entity.type || entry.entity.id !== entity.id) continue;
        if (actions && !actions.includes(entry.kind)) continue;
        if (!filter(entry)) continue;
        if (
          !best ||
          Math.abs(Date.parse(entry.at) - at.getTime()) < Math.abs(Date.parse(best.at) - at.getTime())
        )
          best = entry;
      }
      if (!best) return false;
      const bag = best.details['records'] as Record<string, unknown[]>;
      (bag[group] ??= []).push(plain(record));
      return true;
    };
    const orphans: (Entry & { order: bigint })[] = [];
    const own = (
      kind: string,
      at: Date,
      entity: { type: string; id: string },
      caseIdOf: string | null,
      record: unknown,
    ) =>
      orphans.push({
        order: BigInt(Number.MAX_SAFE_INTEGER),
        at: at.toISOString(),
        kind,
        caseId: caseIdOf,
        actor: { kind: 'system', id: null },
        summary: summaryOf(kind),
        entity,
        audit: null,
        details: { records: { [entity.type]: [plain(record)] } },
      });
    const caseActions = (group: string) => RECORD_ACTIONS[group]!.map((a) => `case.${a}`);
    const forCase = (group: string, caseIdOf: string, at: Date, record: unknown, id: string) => {
      if (!attach(group, record, at, { type: 'case', id: caseIdOf }, caseActions(group)))
        own(`record.${group}`, at, { type: group, id }, caseIdOf, record);
    };

    for (const a of records.approvals) forCase('approval', a.caseId, a.decidedAt, a, a.id);
    for (const r of records.investigations) forCase('investigation', r.caseId, r.createdAt, r, r.id);
    for (const s of records.statements) forCase('statement', s.caseId, s.createdAt, s, s.id);
    for (const r of records.legalReviews)
      forCase('legalReview', r.caseId, r.reviewedAt ?? r.submittedAt, r, r.id);
    for (const d of records.decisions) forCase('decision', d.caseId, d.createdAt, d, d.id);
    for (const s of records.services) forCase('service', s.caseId, s.createdAt, s, s.id);
    for (const p of records.payments) forCase('payment', p.caseId, p.createdAt, p, p.id);
    for (const p of records.penalties) {
      if (!attach('penalty', p, p.computedAt, { type: 'case', id: p.caseId }, null))
        own('record.penalty', p.computedAt, { type: 'penalty', id: p.id }, p.caseId, p);
    }
    for (const doc of records.documents) {
      for (const v of doc.versions) {
        const record = {
          documentId: doc.id,
          kind: doc.kind,
          title: doc.title,
          documentNumber: doc.documentNumber,
          version: v.version,
          current: v.version === doc.currentVersion,
          contentSha256: v.contentSha256,
          authorId: v.authorId,
          createdAt: v.createdAt,
        };
        const names = (e: Entry) =>
          JSON.stringify((e.details['changes'] as { documents?: unknown })?.documents ?? []).includes(doc.id);
        if (!attach('documents', record, v.createdAt, { type: 'case', id: doc.caseId }, null, names))
          own('record.document_version', v.createdAt, { type: 'document', id: doc.id }, doc.caseId, record);
      }
    }
    for (const n of records.notices) {
      const { attempts, ...notice } = n;
      const noticeEvents = entries.filter((e) => e.entity.type === 'notice' && e.entity.id === n.id);
      for (const e of noticeEvents) {
        (e.details['records'] as Record<string, unknown[]>)['notice'] = [plain(notice)];
      }
      for (const attempt of attempts) {
        const matched = noticeEvents.find(
          (e) => (e.details['changes'] as { attemptNo?: number } | null)?.attemptNo === attempt.attemptNo,
        );
        if (matched) {
          const bag = matched.details['records'] as Record<string, unknown[]>;
          (bag['deliveryAttempts'] ??= []).push(plain(attempt));
        } else {
          own('notice.delivery_attempt', attempt.attemptedAt, { type: 'notice', id: n.id }, n.caseId, {
            ...attempt,
            channel: n.channel,
            recipient: n.recipient,
          });
        }
      }
      if (noticeEvents.length === 0) {
        own('record.notice', n.createdAt, { type: 'notice', id: n.id }, n.caseId, notice);
      }
    }
    for (const f of records.fences) {
      const entity = f.caseId ? { type: 'case', id: f.caseId } : { type: 'lead', id: f.leadId ?? '' };
      const viaLead = f.leadId ? { type: 'lead', id: f.leadId } : entity;
      if (
        !attach('fences', f, f.createdAt, viaLead, ['fence.created']) &&
        !attach('fences', f, f.createdAt, entity, null)
      )
        own('record.fence', f.createdAt, { type: 'fence', id: f.id }, f.caseId, f);
    }
    for (const a of records.alerts) {
      if (!attach('interceptionAlert', a, a.raisedAt, { type: 'interception_alert', id: a.id }, null))
        own('record.interception_alert', a.raisedAt, { type: 'interception_alert', id: a.id }, null, a);
    }
    for (const d of records.detections) {
      if (!attach('detection', d, d.receivedAt, { type: 'detection', id: d.id }, ['detection.received']))
        own('record.detection', d.receivedAt, { type: 'detection', id: d.id }, null, d);
    }
    for (const l of records.leads) {
      attach('lead', l, l.createdAt, { type: 'lead', id: l.id }, ['lead.created']);
    }

    const all = [...entries, ...orphans].sort(
      (a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0),
    );
    const summary = (c: typeof scope.case) => ({
      id: c.id,
      caseNumber: c.caseNumber,
      type: c.type,
      state: c.state,
      parentCaseId: c.parentCaseId,
      leadId: c.leadId,
      createdAt: c.createdAt.toISOString(),
    });
    return {
      case: summary(scope.case),
      entries: all.map(({ order: _order, ...e }) => e),
      evidence: evidence.map((e) => ({
        id: e.id,
        kind: e.kind,
        key: e.key,
        sha256: e.sha256,
        size: Number(e.sizeBytes),
        contentType: e.contentType,
        detectionId: e.detectionId,
        caseId: e.caseId,
        integrityStatus: e.integrityStatus,
        lastVerifiedAt: iso(e.lastVerifiedAt),
        observedSha256: e.observedSha256,
      })),
      subCases: scope.subCases.map(summary),
      audit: {
        events: events.length,
        sealed: events.filter((e) => e.hash !== null).length,
        lastSealed: lastSealed
          ? {
              eventId: lastSealed.id.toString(),
              chainSeq: lastSealed.chainSeq!.toString(),
              hash: lastSealed.hash!,
              occurredAt: lastSealed.occurredAt.toISOString(),
            }
          : null,
      },
    };
  }
}
