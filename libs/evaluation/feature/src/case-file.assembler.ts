import { decodeSnapshot } from '@ecc/cases-data';
import { CASE_PARTY_ROLE, type CaseSnapshot, type CaseType } from '@ecc/cases-domain';
import { caseCitedCodes, caseDocumentTitle } from '@ecc/cases-feature';
import {
  concernsOneVehicle,
  type CaseDocument,
  type CaseFileSnapshot,
  type DocumentKind,
  type PenaltyPart,
} from '@ecc/evaluation-domain';
import { isScoredDocumentKind, type CaseFileRecords } from '@ecc/evaluation-data';
import type { ViolationType } from '@ecc/legal-domain';
import { localDate, type IsoDate } from '@ecc/shared-kernel';

/** The violation each case type of 一超四罚 punishes (the `violation_type` of the catalogue articles). */
const VIOLATION_BY_CASE_TYPE: Readonly<Record<CaseType, ViolationType>> = {
  vehicle: 'overload_gross',
  driver: 'repeat_overload_driver',
  enterprise: 'enterprise_overload_fleet',
  vehicle_certificate: 'repeat_overload_vehicle',
  source_unit: 'instructing_overload',
};

/**
 * A source unit's case punishes what its rule found: loading or letting an overloaded vehicle leave (湖南条例
 * Arts. 13, 30) or instructing the overload (条例 Art. 68).
 */
const VIOLATION_BY_RULE: Readonly<Record<string, ViolationType>> = {
  source_unit_loading: 'source_unit_release',
  source_unit_instructed_art68: 'instructing_overload',
};

/** The violations a proposed penalty part can be for (the weight, size and axle facts of one trip). */
const PART_VIOLATIONS: readonly ViolationType[] = ['overload_gross', 'overload_dimension', 'overload_axle'];
const isPartViolation = (v: unknown): v is ViolationType => PART_VIOLATIONS.some((p) => p === v);

/**
 * The parts of the penalty screening proposed (a weight fine or warning and a size fine, Art. 43(2)), each with
 * the article it rests on, as `proposed_basis.parts` stores them; none when there are none.
 */
function proposedParts(proposedBasis: unknown): { parts: PenaltyPart[]; violations: ViolationType[] } {
  const raw = (proposedBasis as { parts?: unknown } | null)?.parts;
  const parts: PenaltyPart[] = [];
  const violations: ViolationType[] = [];
  for (const p of Array.isArray(raw) ? (raw as Record<string, unknown>[]) : []) {
    const code = (Array.isArray(p['basis']) ? (p['basis'] as { code?: unknown }[]) : [])[0]?.code;
    const kind = p['kind'];
    const amount = p['amountYuan'];
    if (typeof code !== 'string' || (kind !== 'fine' && kind !== 'warning') || typeof amount !== 'number') {
      return { parts: [], violations: [] };
    }
    parts.push({ basisCode: code, kind, amountYuan: amount });
    if (isPartViolation(p['violation'])) violations.push(p['violation']);
  }
  return { parts, violations: [...new Set(violations)] };
}

/** Kinds of which only the latest document counts (a re-issued notice supersedes the earlier one). */
const SINGLE: ReadonlySet<DocumentKind> = new Set([
  'filing_approval',
  'evidence_list',
  'pre_penalty_notice',
  'legal_review_opinion',
  'decision',
  'proof_of_service',
  'closing_report',
]);

export interface AssembledCaseFile {
  caseFile: CaseFileSnapshot;
  /** What the rules computed for the fine (the lead's Art. 43 amount), when the case is a vehicle fine. */
  computedFineYuan: number | null;
}

/**
 * The case file as the evaluation reads it, built from the case's records: the document rows (numbers,
 * dates) and, for what each document states, the records it was generated from (the party and plate of
 * the lead, the proposed and decided amounts, the cited codes, the reviewer, the service, the payments).
 *
 * `closing` evaluates the file as the closing action would leave it: closed on that day, with the closing
 * report the action itself writes (approved by the closing approver).
 */
export function assembleCaseFile(
  records: CaseFileRecords,
  bureau: { timeZone: string; name: string },
  closing?: { at: Date; approverName: string },
): AssembledCaseFile {
  const timeZone = bureau.timeZone;
  const snapshot: CaseSnapshot | null = records.workflow ? decodeSnapshot(records.workflow) : null;
  const day = (d: Date | null | undefined): IsoDate | null => (d ? localDate(d, timeZone) : null);
  const lead = records.lead;
  // The case's own party: the owner of a vehicle case, the driver, enterprise or unit of a sub-case.
  const role = CASE_PARTY_ROLE[records.type];
  const party = records.parties.find((p) => p.role === role)?.party ?? null;
  const partyName = party?.name ?? null;
  const ruleViolation = (records.penalties ?? [])
    .map((p) => VIOLATION_BY_RULE[p.ruleCode])
    .find((v): v is ViolationType => !!v);
  const violationType = ruleViolation ?? VIOLATION_BY_CASE_TYPE[records.type];
  // The plate the documents state: the trip's; a sub-case's vehicle is its parent trip's (cases.vehicle_id). A
  // driver's or an enterprise's Art. 66 case counts trips, possibly of several vehicles: no single plate.
  const plate = concernsOneVehicle({ violationType })
    ? (lead?.plate ?? records.vehicle?.plate ?? records.parent?.lead?.plate ?? null)
    : null;
  const basisCodes = (basis: unknown): string[] => {
    const list: unknown = Array.isArray(basis) ? basis : (basis as { basis?: unknown } | null)?.basis;
    return (Array.isArray(list) ? (list as unknown[]) : [])
      .map((b) => (b as { code?: unknown } | null)?.code)
      .filter((c): c is string => typeof c === 'string');
  };
  // What the notice and the decision cite, as the cases lib prints them: the lead's proposal for a vehicle case,
  // a sub-case's own plan and penalty code (一超四罚). The decision row stores its codes; a sub-case decided
  // before it did has an empty row, and its document printed the same codes.
  const citedCodes = caseCitedCodes({ lead: lead ?? null, penalties: records.penalties ?? [] });
  const storedDecisionCodes = records.decision ? basisCodes(records.decision.basis) : [];
  const decisionCodes =
    records.decision && storedDecisionCodes.length === 0 ? citedCodes : storedDecisionCodes;
  const facts = records.facts?.trim() || (lead ? `车辆${lead.plate}超限${lead.excessKg}千克` : null);

  const notice = [...(snapshot?.prePenaltyNotices ?? [])].reverse().find((n) => !n.supersededAt);
  const penalty = snapshot?.decision?.penalty ?? snapshot?.proposedPenalty;
  const isFine = penalty?.kind === 'fine';
  // The parts of a combined penalty screening proposed (Art. 43(2)), each with its own article.
  const proposed = records.type === 'vehicle' ? proposedParts(lead?.proposedBasis) : null;
  const decidedYuan = records.decision?.fineAmount ? Number(records.decision.fineAmount) : null;
  /** The parts where a document states the amount screening proposed (an amount changed since is not theirs). */
  const partsOf = (amount: number | null | undefined): PenaltyPart[] | null =>
    proposed && proposed.parts.length > 1 && amount != null && amount === Number(lead?.proposedAmount)
      ? proposed.parts
      : null;
  const decisionParts = partsOf(decidedYuan);
  const noticeParts = partsOf(notice?.proposedPenalty.amountYuan);
  const userName = (id: string | undefined | null) =>
    [
      ...records.approvals.map((a) => a.approver),
      ...records.officers.map((o) => o.user),
      ...records.legalReviews.map((r) => r.reviewer),
    ].find((u) => u.id === id)?.displayName ?? null;
  const approverOf = (stage: 'filing' | 'closing') =>
    records.approvals.filter((a) => a.stage === stage && a.outcome === 'approved').at(-1)?.approver
      .displayName ?? null;
  const passedReview = records.legalReviews.filter((r) => r.outcome === 'passed').at(-1);
  const lastReview = passedReview ?? records.legalReviews.filter((r) => r.outcome).at(-1);
  // The decision's service (the other served documents have their 送达回证 only).
  const decisionDocumentId = records.decision?.documentId;
  const service =
    records.services.filter((s) => decisionDocumentId && s.documentId === decisionDocumentId).at(-1) ??
    records.services.at(-1);
  const payments = records.payments;

  /** The person an inquiry record names: its investigation row's, else the snapshot's (the same fact). */
  const intervieweeOf = (documentId: string): string | null => {
    const stored = records.investigations.find((i) => i.kind === 'inquiry' && i.documentId === documentId)
      ?.interviewee as { name?: unknown } | null | undefined;
    const snapshotted = snapshot?.investigationRecords?.find((i) => i.documentId === documentId)?.interviewee;
    const name = typeof stored?.name === 'string' ? stored.name : snapshotted?.name;
    return name?.trim() || null;
  };
  /**
   * 证据清单: a vehicle case's detection and evidence files; a sub-case's trips — the trip of its parent case and
   * the decided trips its count rests on (《公路安全保护条例》 Art. 66), each with its decision.
   */
  const evidenceItems = (): string | null => {
    const investigated = `调查取证 ${records.investigations.length} 项`;
    if (lead) return `检测数据；证据文件 ${records.evidenceCount} 件；${investigated}`;
    const trips = records.trips ?? [];
    if (trips.length === 0) return null;
    const listed = trips.map((t) => {
      const decided = t.decidedAt
        ? `，${day(t.decidedAt)}决定${t.decisionNumber ? `（${t.decisionNumber}）` : ''}`
        : '';
      const which = t.caseId === records.parentCaseId ? '本次' : '已决定的';
      return `${which}违法超限运输案件 ${t.caseNumber ?? t.caseId.slice(0, 8)}（违法日期 ${t.violationDate.toISOString().slice(0, 10)}${decided}）`;
    });
    return `${listed.join('；')}；${investigated}`;
  };
  // Each served document has its 送达回证 (催告书, 责令改正通知书, a notice by post): the decision's is the one the
  // file's service is judged by. A proof naming no document is of the decision (the template's default).
  const decisionTitle = caseDocumentTitle('decision');
  const provesDecision = (id: string) => (records.servedDocuments?.[id] ?? decisionTitle) === decisionTitle;
  const documents: CaseDocument[] = [];
  const rows = records.documents.filter(
    (d): d is typeof d & { kind: DocumentKind } =>
      isScoredDocumentKind(d.kind) && (d.kind !== 'proof_of_service' || provesDecision(d.id)),
  );
  let paymentIndex = 0;
  for (const [i, row] of rows.entries()) {
    const kind = row.kind;
    if (SINGLE.has(kind) && rows.slice(i + 1).some((later) => later.kind === kind)) continue;
    const base: CaseDocument = {
      kind,
      number: row.documentNumber,
      dated: day(row.issuedAt ?? row.createdAt),
    };
    switch (kind) {
      case 'filing_approval':
        documents.push({
          ...base,
          partyName,
          plate,
          fields: {
            approvedBy:
              approverOf('filing') ??
              userName(
                snapshot?.filing && 'approvedBy' in snapshot.filing ? snapshot.filing.approvedBy : null,
              ),
          },
        });
        break;
      case 'inquiry_record':
        // 被询问人 (行政处罚法 Art. 55) as the record names them; an older record names no one.
        documents.push({ ...base, partyName, plate, fields: { interviewee: intervieweeOf(row.id) } });
        break;
      case 'evidence_list':
        documents.push({ ...base, fields: { items: evidenceItems() } });
        break;
      case 'pre_penalty_notice':
        documents.push({
          ...base,
          partyName,
          plate,
          amountYuan: notice?.proposedPenalty.amountYuan ?? null,
          basisCodes: citedCodes,
          ...(noticeParts ? { penaltyParts: noticeParts } : {}),
          fields: { facts, rights: notice ? '陈述、申辩' + (notice.hearingRight ? '、听证' : '') : null },
        });
        break;
      case 'legal_review_opinion':
        documents.push({
          ...base,
          fields: {
            reviewerName: lastReview?.reviewer.displayName ?? null,
            opinion: lastReview?.outcome ? `${lastReview.outcome === 'passed' ? '通过' : '退回补正'}` : null,
          },
        });
        break;
      case 'decision':
        documents.push({
          ...base,
          partyName,
          plate,
          amountYuan: decidedYuan,
          basisCodes: decisionCodes,
          ...(decisionParts ? { penaltyParts: decisionParts } : {}),
          fields: {
            facts,
            remedies: '行政复议、行政诉讼',
            authority: bureau.name,
            paymentInstructions: isFine ? '十五日内缴纳' : null,
          },
        });
        break;
      case 'proof_of_service':
        documents.push({
          ...base,
          partyName,
          fields: { serviceMethod: service?.method ?? null, recipient: service?.recipient ?? null },
        });
        break;
      case 'payment_record': {
        const payment = payments[paymentIndex++];
        documents.push({
          ...base,
          amountYuan: payment ? Number(payment.amount) : null,
          lateFeeYuan: payment ? Number(payment.lateFee) : null,
        });
        break;
      }
      case 'closing_report':
        if (closing) continue; // replaced by the one the closing action writes, below
        documents.push({
          ...base,
          fields: { summary: '结案报告', approvedBy: approverOf('closing') },
        });
        break;
      default:
        documents.push(base);
    }
  }
  if (closing) {
    documents.push({
      kind: 'closing_report',
      dated: day(closing.at),
      fields: { summary: '结案报告', approvedBy: closing.approverName },
    });
  }

  const officers = records.officers.map((o) => ({
    userId: o.userId,
    name: o.user.displayName,
    certificateNo: o.user.enforcementCertificateNo,
  }));
  const hearing = notice?.hearing;
  const waived = new Set((notice?.waivers ?? []).map((w) => w.right));
  const caseFile: CaseFileSnapshot = {
    caseId: records.id,
    penaltyKind: penalty?.kind ?? 'fine',
    violationType,
    ...(proposed && proposed.violations.length > 1 ? { violationTypes: proposed.violations } : {}),
    ...(party?.kind ? { partyKind: party.kind } : {}),
    violationDate: day(lead?.violationAt) ?? records.violationDate.toISOString().slice(0, 10),
    officers,
    legalReviewer: passedReview
      ? { userId: passedReview.reviewerId, name: passedReview.reviewer.displayName }
      : null,
    dates: {
      filedOn: day(records.filedAt),
      noticeServedOn: day(notice?.servedAt),
      hearingNotifiedOn: day(hearing?.notifiedAt),
      hearingHeldOn: day(hearing?.heldAt),
      legalReviewedOn: day(passedReview?.reviewedAt),
      decidedOn: day(records.decidedAt),
      servedOn: day(records.servedAt),
      paidOn: day(records.paidAt ?? payments.at(-1)?.paidAt),
      closedOn: day(closing?.at ?? records.closedAt),
    },
    defenceWaivedInWriting: waived.has('statement') && (!notice?.hearingRight || waived.has('hearing')),
    // 书面放弃 each right, or a hearing request withdrawn in writing (an absence is not a written withdrawal).
    statementWaivedInWriting: waived.has('statement'),
    hearingWaivedInWriting: waived.has('hearing'),
    hearingRequestWithdrawnInWriting:
      !!hearing?.withdrawnAt && hearing.withdrawalReason === 'withdrawn_in_writing',
    // 行政复议、行政诉讼 against the decision (record_remedy, record_remedy_outcome), with how each ended.
    ...(snapshot?.remedies?.length
      ? {
          remedies: snapshot.remedies.map((r) => ({
            kind: r.kind,
            body: r.body,
            filedOn: r.filedOn,
            concludedOn: r.concludedOn ?? null,
            outcome: r.outcome ?? null,
          })),
        }
      : {}),
    documents,
  };
  const computedFineYuan =
    records.type === 'vehicle' && isFine && lead?.proposedPenaltyKind === 'fine' && lead.proposedAmount
      ? Number(lead.proposedAmount)
      : null;
  return { caseFile, computedFineYuan };
}
