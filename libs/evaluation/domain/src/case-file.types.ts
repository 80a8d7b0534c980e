import { type PenaltyKind, type ViolationType } from '@ecc/legal-domain';
import { type IsoDate } from '@ecc/shared-kernel';

/** The documents of a case file (案卷), in catalogue order. */
export const DOCUMENT_KINDS = [
  'filing_approval', // 立案审批表
  'inquiry_record', // 询问笔录
  'evidence_list', // 证据清单
  'pre_penalty_notice', // 行政处罚告知书
  'hearing_notice', // 听证通知书
  'legal_review_opinion', // 法制审核意见书
  'decision', // 行政处罚决定书
  'proof_of_service', // 送达回证
  'payment_record', // 罚没款收据
  'closing_report', // 结案报告
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface CaseDocument {
  kind: DocumentKind;
  /** 文书编号. */
  number?: string | null;
  /** The date written on the document. */
  dated?: IsoDate | null;
  partyName?: string | null;
  plate?: string | null;
  /** The amount the document states: proposed (notice), decided (decision), paid (payment record). */
  amountYuan?: number | null;
  /** Payment record: the late-payment fine collected (加处罚款, 行政处罚法 Art. 72). */
  lateFeeYuan?: number | null;
  /** Catalogue codes of the articles the document cites. */
  basisCodes?: string[] | null;
  /**
   * The penalties a combined decision adds up (e.g. a weight fine or warning and a size fine, 《超限运输车辆
   * 行驶公路管理规定》 Art. 43(2)), each with the article it rests on; `amountYuan` is then their sum.
   */
  penaltyParts?: PenaltyPart[] | null;
  /** The document's other contents by name (facts, reasons, remedies, approver, ...). */
  fields?: Record<string, string | number | boolean | null | undefined>;
}

export interface PenaltyPart {
  basisCode: string;
  kind: 'fine' | 'warning';
  /** 0 for a warning. */
  amountYuan: number;
}

export interface CaseOfficer {
  userId: string;
  name: string;
  /** 执法证号: an officer without one may not handle the case. */
  certificateNo?: string | null;
}

export interface CaseDates {
  filedOn?: IsoDate | null;
  /** The pre-penalty notice reached the party. */
  noticeServedOn?: IsoDate | null;
  hearingNotifiedOn?: IsoDate | null;
  hearingHeldOn?: IsoDate | null;
  legalReviewedOn?: IsoDate | null;
  decidedOn?: IsoDate | null;
  /** The decision was served on the party. */
  servedOn?: IsoDate | null;
  paidOn?: IsoDate | null;
  closedOn?: IsoDate | null;
}

/** A plain snapshot of a case file, as the evaluation reads it; the caller assembles it from the case. */
export interface CaseFileSnapshot {
  caseId: string;
  /** The penalty the case decides (or, before the decision, proposes): the rules apply by it. */
  penaltyKind: PenaltyKind;
  /** Must match the `violationTypes` of the catalogue articles (e.g. `overload_gross`). */
  violationType: ViolationType;
  /** Every violation of the case when it has several (a weight and a size violation): each article may fit one. */
  violationTypes?: ViolationType[];
  violationDate: IsoDate;
  officers: CaseOfficer[];
  legalReviewer?: { userId: string; name: string } | null;
  dates: CaseDates;
  /** Whose case it is: the hearing threshold differs (行政处罚法 Art. 63); unknown → the person's, the lower. */
  partyKind?: 'person' | 'organisation';
  /** The party waived every statement and hearing period in writing (书面放弃). */
  defenceWaivedInWriting?: boolean;
  /** The party waived the statement and defence period in writing. */
  statementWaivedInWriting?: boolean;
  /** The party waived the hearing in writing. */
  hearingWaivedInWriting?: boolean;
  /** The party requested a hearing and withdrew the request in writing. */
  hearingRequestWithdrawnInWriting?: boolean;
  /** Reconsiderations and lawsuits the party brought: no late fee accrues while they are pending (Art. 73 ¶3). */
  remedies?: CaseRemedy[];
  documents: CaseDocument[];
}

/** How a reconsideration or a lawsuit against the decision ended. */
export const REMEDY_OUTCOMES = ['upheld', 'changed', 'annulled', 'dismissed', 'withdrawn'] as const;
export type RemedyOutcome = (typeof REMEDY_OUTCOMES)[number];

/**
 * A reconsideration (行政复议) or a lawsuit (行政诉讼) against the decision: filed, and concluded on the day its
 * outcome was served (or it was withdrawn). `changed` and `annulled` are the body's or the court's 变更 and 撤销
 * (行政复议法 2023 Arts. 63, 64; 行政诉讼法 Arts. 70, 77); `upheld` and `dismissed` leave the decision standing.
 */
export interface CaseRemedy {
  kind: 'reconsideration' | 'lawsuit';
  /** The reconsideration body or the court. */
  body?: string | null;
  filedOn: IsoDate;
  concludedOn: IsoDate | null;
  outcome?: RemedyOutcome | null;
}

/**
 * The violations of a party rather than of a vehicle: a driver's or an enterprise's trips within one year
 * (《公路安全保护条例》 Art. 66), possibly made with several vehicles. Their notice and decision name the party
 * and list the trips in the facts; no single plate is theirs to state.
 */
const PARTY_VIOLATIONS: readonly ViolationType[] = ['repeat_overload_driver', 'enterprise_overload_fleet'];

/**
 * Whether the case is about one vehicle, whose plate its documents state: a vehicle's overload, its road
 * transport certificate, a source unit's loading of it — not a driver's or an enterprise's Art. 66 count.
 */
export function concernsOneVehicle(f: Pick<CaseFileSnapshot, 'violationType' | 'violationTypes'>): boolean {
  const types = f.violationTypes?.length ? f.violationTypes : [f.violationType];
  return !types.some((t) => PARTY_VIOLATIONS.includes(t));
}

/** How a finding points at a document: `kind:number`, or the kind alone when it has no number. */
export function documentRef(doc: CaseDocument): string {
  return doc.number ? `${doc.kind}:${doc.number}` : doc.kind;
}
