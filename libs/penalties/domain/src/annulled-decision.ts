import { type IsoDate } from '@ecc/shared-kernel';

/** How a reconsideration or lawsuit against a trip's decision ended, as the case records it. */
export interface RemedyOutcomeFact {
  kind: 'reconsideration' | 'lawsuit';
  outcome?: 'upheld' | 'changed' | 'annulled' | 'dismissed' | 'withdrawn';
  /** The day the outcome was served. */
  concludedOn?: IsoDate;
  /** When the outcome was recorded on the case: a decision made again is made after it. */
  concludedRecordedAt?: Date;
}

/**
 * Whether a trip's decision no longer confirms the violation (《公路安全保护条例》 Art. 66 counts 违法超限运输,
 * i.e. violations confirmed by a decision): it was annulled (撤销) on reconsideration (行政复议法 Art. 64) or by
 * a court (行政诉讼法 Art. 70), and no decision was made again after that (a new decision, e.g. on an order to
 * decide anew, is dated after the annulment and confirms the trip again).
 *
 * A decision changed (变更, 行政复议法 Art. 63; 行政诉讼法 Art. 77) still counts: the body or the court replaces the
 * penalty, the violation stays established. Upheld, dismissed or withdrawn remedies leave the decision standing.
 */
export function decisionAnnulled(
  remedies: readonly RemedyOutcomeFact[] | null | undefined,
  decidedAt: Date | null | undefined,
): boolean {
  return (remedies ?? []).some(
    (r) =>
      r.outcome === 'annulled' &&
      (!decidedAt || !r.concludedRecordedAt || decidedAt.getTime() <= r.concludedRecordedAt.getTime()),
  );
}
