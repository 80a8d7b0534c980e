import { DOCUMENT_KINDS, type DocumentKind as ScoredDocumentKind } from '@ecc/evaluation-domain';
import type { DocumentKind } from '@ecc/shared-data';

/**
 * The schema's document kinds that the case-file evaluation deliberately does not score, each with the reason.
 * With the domain's `DOCUMENT_KINDS` they are `document_kind`, value for value: a kind added to the schema
 * fails the type check here (and vocabulary.spec.ts) until someone decides whether the evaluation scores it.
 */
export const UNSCORED_DOCUMENT_KINDS = {
  hearing_record:
    'the hearing is judged by its dates (notified, held) and the written waivers, not its record',
  statement_record: 'the statement period is judged by its dates and the written waivers, not the record',
  collective_discussion: 'not scored yet: 集体讨论 (行政处罚法 Art. 57 ¶2) has no check of the evaluation',
  no_penalty_decision:
    'no penalty (行政处罚法 Art. 33): the evaluation scores the file of a penalty decision',
  correction_order: '责令改正 of a source unit is an order, not a penalty the case file decides',
  correction_review: 'the review of a correction follows the order, outside the penalty procedure',
  execution_demand: '催告 is enforcement after the decision (行政强制法 Arts. 35, 54), not its procedure',
  court_application:
    'an application to the court (行政强制法 Arts. 53, 55) is enforcement after the decision',
  home_authority_report:
    '抄告 after closing (超限规定 Art. 44) is a duty of the bureau, not of the case file',
  home_authority_measure_report:
    'an Art. 66 count reported to the home authority, not a document of the case',
  other: 'no rule says what it must contain',
} as const satisfies Record<Exclude<DocumentKind, ScoredDocumentKind>, string>;
export type UnscoredDocumentKind = keyof typeof UNSCORED_DOCUMENT_KINDS;

// Every kind the evaluation scores is a kind of the schema (the `satisfies` above makes the rest exact).
const scoredKinds: readonly DocumentKind[] = DOCUMENT_KINDS;
const scored: ReadonlySet<DocumentKind> = new Set(scoredKinds);

/** Whether the case-file evaluation scores a stored document of this kind. */
export function isScoredDocumentKind(kind: DocumentKind): kind is ScoredDocumentKind {
  return scored.has(kind);
}
