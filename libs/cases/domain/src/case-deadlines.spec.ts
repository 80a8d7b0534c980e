import { DEADLINE_INFO, deadlineHistory, runningDeadlines } from './case-deadlines';
import { DEADLINE_KINDS, newCaseDraft, type DeadlineRecord } from './case-state';

const at = (iso: string) => new Date(iso);

function caseWith(deadlines: DeadlineRecord[]) {
  return {
    ...newCaseDraft({ id: 'c', caseType: 'vehicle', createdAt: at('2024-03-01T00:00:00Z') }),
    deadlines,
  };
}

describe('running deadlines', () => {
  const snapshot = caseWith([
    { kind: 'decision_due', startedAt: at('2024-03-01T02:00:00Z'), dueAt: at('2024-05-30T15:59:59.999Z') },
    {
      kind: 'statement_window',
      startedAt: at('2024-03-05T02:00:00Z'),
      dueAt: at('2024-03-08T15:59:59.999Z'),
    },
    {
      kind: 'hearing_request_window',
      startedAt: at('2024-03-05T02:00:00Z'),
      dueAt: at('2024-03-12T15:59:59.999Z'),
      stoppedAt: at('2024-03-06T02:00:00Z'),
      stoppedBy: 'record_waiver',
    },
    { kind: 'payment_due', startedAt: at('2024-03-15T01:00:00Z'), dueAt: at('2024-04-01T15:59:59.999Z') },
  ]);

  it('lists the started and not stopped ones, earliest first', () => {
    expect(runningDeadlines(snapshot).map((d) => d.kind)).toEqual([
      'statement_window',
      'payment_due',
      'decision_due',
    ]);
  });

  it("with now: a party's lapsed window drops out, an unpaid fine or a late decision shows as overdue", () => {
    const later = runningDeadlines(snapshot, at('2024-06-01T00:00:00Z'));
    expect(later.map((d) => [d.kind, d.overdue])).toEqual([
      ['payment_due', true],
      ['decision_due', true],
    ]);
    const early = runningDeadlines(snapshot, at('2024-03-07T00:00:00Z'));
    expect(early.map((d) => [d.kind, d.overdue])).toEqual([
      ['statement_window', undefined],
      ['payment_due', false],
      ['decision_due', false],
    ]);
  });

  it('describes every kind with its article', () => {
    for (const kind of DEADLINE_KINDS) expect(DEADLINE_INFO[kind].article).toMatch(/Art\. \d+/);
  });
});

describe('the deadline history', () => {
  const window = { startedAt: at('2024-03-05T02:00:00Z'), dueAt: at('2024-03-08T15:59:59.999Z') };
  const snapshot = caseWith([
    // met on time, then one running
    {
      kind: 'decision_due',
      startedAt: at('2024-03-01T02:00:00Z'),
      dueAt: at('2024-05-30T15:59:59.999Z'),
      stoppedAt: at('2024-03-14T01:00:00Z'),
      stoppedBy: 'approve_decision',
    },
    // superseded by a new notice: withdrawn
    {
      kind: 'statement_window',
      ...window,
      stoppedAt: at('2024-03-06T02:00:00Z'),
      stoppedBy: 'issue_pre_penalty_notice',
    },
    // waived in writing
    {
      kind: 'hearing_request_window',
      ...window,
      stoppedAt: at('2024-03-07T02:00:00Z'),
      stoppedBy: 'record_waiver',
    },
    // a party's window that ran out unused: lapsed, stopped or not
    {
      kind: 'statement_window',
      ...window,
      stoppedAt: at('2024-03-13T02:00:00Z'),
      stoppedBy: 'submit_legal_review',
    },
    { kind: 'hearing_request_window', ...window },
    // the bureau late: missed
    {
      kind: 'service_due',
      startedAt: at('2024-03-14T01:00:00Z'),
      dueAt: at('2024-03-25T15:59:59.999Z'),
      stoppedAt: at('2024-03-27T02:00:00Z'),
      stoppedBy: 'record_service',
    },
    // the party's payment past due and still open: missed
    { kind: 'payment_due', startedAt: at('2024-03-27T02:00:00Z'), dueAt: at('2024-04-11T15:59:59.999Z') },
    { kind: 'publicity_due', startedAt: at('2024-03-14T01:00:00Z'), dueAt: at('2024-05-25T15:59:59.999Z') },
  ]);

  it('lists every deadline the case has had and how each ended', () => {
    const history = deadlineHistory(snapshot, at('2024-04-20T00:00:00Z'));
    expect(history.map((d) => [d.kind, d.status, d.stoppedBy])).toEqual([
      ['decision_due', 'met', 'approve_decision'],
      ['statement_window', 'withdrawn', 'issue_pre_penalty_notice'],
      ['hearing_request_window', 'waived_in_writing', 'record_waiver'],
      ['statement_window', 'lapsed', 'submit_legal_review'],
      ['hearing_request_window', 'lapsed', null],
      ['service_due', 'missed', 'record_service'],
      ['payment_due', 'missed', null],
      ['publicity_due', 'running', null],
    ]);
    expect(history[0]).toMatchObject({
      title: DEADLINE_INFO.decision_due.title,
      stoppedAt: at('2024-03-14T01:00:00Z'),
    });
  });
});
