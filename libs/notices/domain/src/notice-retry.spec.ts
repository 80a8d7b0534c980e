import { nextNoticeAttempt, noticeRetryDelayMs, type NoticeRetrySettings } from './notice-retry';

const HOUR = 3_600_000;
const settings: NoticeRetrySettings = { initialDelayMs: 10_000, maxDelayMs: 600_000, periodMs: 24 * HOUR };

describe('notice retries', () => {
  it('double from the initial delay and stop growing at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 100].map((n) => noticeRetryDelayMs(n, settings) / 1000)).toEqual([
      10, 20, 40, 80, 160, 320, 600, 600, 600, 600,
    ]);
  });

  it('keep a vendor outage of hours within the period: the old budget of 8 attempts is long passed', () => {
    const first = new Date('2026-12-06T00:00:00Z');
    let at = first;
    let attempts = 0;
    for (;;) {
      attempts++;
      const decision = nextNoticeAttempt(
        { firstAttemptAt: first, failedAt: at, failedAttempts: attempts, permanent: false },
        settings,
      );
      if (decision.kind === 'give_up') {
        expect(decision.reason).toBe('retry_period_over');
        break;
      }
      expect(decision.at.getTime()).toBeGreaterThan(at.getTime());
      at = decision.at;
    }
    // attempts 1-7 within 630 s (10 s … 320 s apart), then every 10 min (142 more before 24 h), and a last one
    // at 24 h exactly: 150 attempts where the old budget was 8
    expect(attempts).toBe(150);
    // the last attempt is at the end of the period exactly, and its failure is the last
    expect(at.getTime() - first.getTime()).toBe(24 * HOUR);
  });

  it('places the last retry at the end of the period, not beyond', () => {
    const first = new Date('2026-12-06T00:00:00Z');
    const failedAt = new Date(first.getTime() + 24 * HOUR - 60_000);
    expect(
      nextNoticeAttempt({ firstAttemptAt: first, failedAt, failedAttempts: 30, permanent: false }, settings),
    ).toEqual({ kind: 'retry', at: new Date(first.getTime() + 24 * HOUR) });
  });

  it('gives up at once on a permanent failure, and on any failure once the period is over', () => {
    const first = new Date('2026-12-06T00:00:00Z');
    expect(
      nextNoticeAttempt(
        { firstAttemptAt: first, failedAt: first, failedAttempts: 1, permanent: true },
        settings,
      ),
    ).toEqual({ kind: 'give_up', reason: 'permanent' });
    expect(
      nextNoticeAttempt(
        {
          firstAttemptAt: first,
          failedAt: new Date(first.getTime() + 25 * HOUR),
          failedAttempts: 2,
          permanent: false,
        },
        settings,
      ),
    ).toEqual({ kind: 'give_up', reason: 'retry_period_over' });
  });
});
