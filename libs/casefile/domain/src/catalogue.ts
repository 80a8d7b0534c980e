/**
 * 卷内目录: the order of the documents in a case file (案卷), as the procedure produces them — filing,
 * investigation and evidence, the pre-penalty notice and the party's statement or hearing, legal review,
 * decision, service, payment, closing, the report to the vehicle's home authority, and the reports of an
 * Art. 66 count (《公路安全保护条例》) to the party's home authority. The evaluation's
 * completeness check names the same core documents (the province's case-file evaluation).
 */
export const CATALOGUE: readonly { kind: string; title: string }[] = [
  { kind: 'filing_approval', title: '立案审批表' },
  { kind: 'inquiry_record', title: '询问笔录' },
  { kind: 'evidence_list', title: '证据清单' },
  { kind: 'pre_penalty_notice', title: '行政处罚告知书' },
  { kind: 'statement_record', title: '陈述申辩笔录' },
  { kind: 'hearing_notice', title: '听证通知书' },
  { kind: 'hearing_record', title: '听证笔录' },
  { kind: 'legal_review_opinion', title: '法制审核意见书' },
  { kind: 'decision', title: '行政处罚决定书' },
  { kind: 'proof_of_service', title: '送达回证' },
  { kind: 'payment_record', title: '缴款记录' },
  { kind: 'closing_report', title: '结案报告' },
  { kind: 'home_authority_report', title: '抄告函' },
  { kind: 'home_authority_measure_report', title: '违法超限运输情况抄告函' },
  { kind: 'other', title: '其他材料' },
];

const RANK = new Map(CATALOGUE.map((entry, index) => [entry.kind, index]));

/** Position of a document kind in the catalogue; an unknown kind goes last (with `other`). */
export const catalogueRank = (kind: string): number => RANK.get(kind) ?? CATALOGUE.length;

export const catalogueTitle = (kind: string): string =>
  CATALOGUE.find((entry) => entry.kind === kind)?.title ?? kind;

export interface CatalogueDocument {
  id: string;
  kind: string;
  /** When the document was first issued; several of one kind (inquiry records) keep that order. */
  createdAt: Date;
  documentNumber?: string | null;
}

/** The documents in catalogue order: by kind, then by issue time, then by number and id (stable). */
export function inCatalogueOrder<T extends CatalogueDocument>(documents: readonly T[]): T[] {
  return [...documents].sort(
    (a, b) =>
      catalogueRank(a.kind) - catalogueRank(b.kind) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.documentNumber ?? '').localeCompare(b.documentNumber ?? '') ||
      a.id.localeCompare(b.id),
  );
}
