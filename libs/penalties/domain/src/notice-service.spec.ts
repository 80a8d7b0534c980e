import { noticeServiceIssues } from './notice-service';

describe('the service of each notice of a batch (行政处罚法 Arts. 44, 64, 85)', () => {
  const now = new Date('2024-03-10T08:00:00Z');
  const at = new Map([
    [
      'a',
      {
        lastInvestigationAt: new Date('2024-03-01T02:00:00Z'),
        proposedPenaltyChangedAt: new Date('2024-02-20T02:00:00Z'),
      },
    ],
  ]);

  it('accepts a notice posted and received days after the batch was prepared, up to now', () => {
    expect(
      noticeServiceIssues(
        [{ caseId: 'a', servedAt: new Date('2024-03-08T02:00:00Z'), method: 'post' }],
        now,
        at,
      ),
    ).toEqual([]);
    expect(noticeServiceIssues([{ caseId: 'a', servedAt: now, method: 'direct' }], now, at)).toEqual([]);
  });

  it('refuses a service in the future or before the facts and the proposal it states, naming the entry', () => {
    const issues = noticeServiceIssues(
      [
        { caseId: 'a', servedAt: new Date('2024-03-11T02:00:00Z'), method: 'post' },
        { caseId: 'a', servedAt: new Date('2024-02-25T02:00:00Z'), method: 'direct' },
      ],
      now,
      at,
    );
    expect(issues).toEqual([
      { path: 'body.service.0.servedAt', message: expect.stringContaining('future') },
      { path: 'body.service.1.servedAt', message: expect.stringContaining('last investigation record') },
    ]);
  });
});
