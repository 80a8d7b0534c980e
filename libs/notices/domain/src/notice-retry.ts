/**
 * How long a notice is retried when its provider fails (a vendor outage, a push endpoint down): attempts
 * spaced by a doubling delay, capped, for a period counted from the first attempt (configuration:
 * NOTICE_RETRY_*). Then the notice has failed for good and its lead's officers decide.
 */
export interface NoticeRetrySettings {
  /** the delay after the first failed attempt */
  initialDelayMs: number;
  /** no two attempts further apart than this */
  maxDelayMs: number;
  /** how long after the first attempt a failure is still retried */
  periodMs: number;
}

export type NoticeRetryDecision =
  { kind: 'retry'; at: Date } | { kind: 'give_up'; reason: 'permanent' | 'retry_period_over' };

/** The delay after the n-th failed attempt (n ≥ 1): initial × 2^(n-1), at most the cap. */
export function noticeRetryDelayMs(failedAttempts: number, settings: NoticeRetrySettings): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^31 ms is weeks: past it the cap applies anyway, and the power stays finite
  return Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.min(exponent, 31));
}

/**
 * After a failed attempt: the next one, or the end. A failure the provider calls permanent (no such
 * recipient, no endpoint configured) is not retried; a failure at or after the end of the period is the last.
 * The last retry is placed at the period's end, so the period is used to its last instant.
 */
export function nextNoticeAttempt(
  failure: { firstAttemptAt: Date; failedAt: Date; failedAttempts: number; permanent: boolean },
  settings: NoticeRetrySettings,
): NoticeRetryDecision {
  if (failure.permanent) return { kind: 'give_up', reason: 'permanent' };
  const end = failure.firstAttemptAt.getTime() + settings.periodMs;
  if (failure.failedAt.getTime() >= end) return { kind: 'give_up', reason: 'retry_period_over' };
  const next = failure.failedAt.getTime() + noticeRetryDelayMs(failure.failedAttempts, settings);
  return { kind: 'retry', at: new Date(Math.min(next, end)) };
}
