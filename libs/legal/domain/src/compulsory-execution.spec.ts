import { courtApplication, executionDemand, type ExecutionFacts } from './compulsory-execution';
import { type DeadlineContext } from './deadlines';
import { CN_WORKING_CALENDAR_2024_2026 } from './working-calendar';

const ctx: DeadlineContext = { timeZone: 'Asia/Shanghai', calendar: CN_WORKING_CALENDAR_2024_2026 };
/** 10:00 Beijing time on a local date. */
const at10 = (date: string) => new Date(`${date}T02:00:00Z`);

/**
 * A decision served on Fri 1 Mar 2024: payment due 16 Mar, a Saturday → Mon 18 Mar (Art. 67, 民法典 Art. 203);
 * reconsideration until 30 Apr; lawsuit until 1 Sep, a Sunday → Mon 2 Sep (行政诉讼法 Art. 46). The remedy
 * periods end on 2 Sep; the court application is possible for 3 months after (行政强制法 Art. 53): until 2 Dec.
 */
const facts = (overrides: Partial<ExecutionFacts> = {}): ExecutionFacts => ({
  decisionServedAt: at10('2024-03-01'),
  paymentLastDay: '2024-03-18',
  performed: false,
  remedies: [],
  demandServedAt: null,
  ...overrides,
});
const codes = (r: { refusals: { code: string }[] }) => r.refusals.map((x) => x.code);

describe('the written demand (催告书, 行政强制法 Art. 54)', () => {
  it('may be issued once the payment period has ended unpaid', () => {
    const early = executionDemand(facts(), ctx, at10('2024-03-18'));
    expect(early).toMatchObject({ allowed: false, earliest: '2024-03-19' });
    expect(codes(early)).toEqual(['payment_period_running']);
    const due = executionDemand(facts(), ctx, at10('2024-03-19'));
    expect(due).toMatchObject({ allowed: true, earliest: '2024-03-19', refusals: [] });
    expect(due.basis.map((b) => b.code)).toEqual(['ACL-54']);
  });

  it('is not issued for a fine paid, and a pending remedy does not stop it (Art. 73 ¶1: no suspension)', () => {
    expect(codes(executionDemand(facts({ performed: true }), ctx, at10('2024-04-01')))).toEqual([
      'performed',
    ]);
    const pending = facts({
      remedies: [{ kind: 'reconsideration', filedOn: '2024-03-20', concludedOn: null }],
    });
    expect(executionDemand(pending, ctx, at10('2024-04-01')).allowed).toBe(true);
  });
});

describe('the application to the court (行政强制法 Arts. 53, 54, 69)', () => {
  const demanded = facts({ demandServedAt: at10('2024-08-20') });

  it('waits for the remedy periods to end and for 10 working days after the demand was served', () => {
    // Demand served Tue 20 Aug: 10 working days end Tue 3 Sep; the remedy periods end Mon 2 Sep.
    const r = courtApplication(demanded, ctx, at10('2024-08-30'));
    expect(r).toMatchObject({
      allowed: false,
      remedyPeriodsEnd: '2024-09-02',
      demandPeriodEnd: '2024-09-03',
      earliest: '2024-09-04',
      latest: '2024-12-02',
    });
    expect(codes(r)).toEqual(['remedy_periods_running', 'demand_period_running']);
    expect(r.refusals.find((x) => x.code === 'demand_period_running')?.until).toBe('2024-09-03');
    expect(r.basis.map((b) => b.code)).toEqual(['ACL-53', 'ACL-54', 'ACL-69']);
  });

  it('is allowed from the earliest day to the last day of the 3 months, and refused after', () => {
    expect(courtApplication(demanded, ctx, at10('2024-09-03')).allowed).toBe(false);
    expect(courtApplication(demanded, ctx, at10('2024-09-04'))).toMatchObject({
      allowed: true,
      refusals: [],
    });
    expect(courtApplication(demanded, ctx, at10('2024-12-02')).allowed).toBe(true);
    const late = courtApplication(demanded, ctx, at10('2024-12-03'));
    expect(late.allowed).toBe(false);
    expect(codes(late)).toEqual(['application_period_expired']);
  });

  it('counts the demand period in working days: a demand served before the National Day holiday runs past it', () => {
    // Served Mon 23 Sep 2024: 24-27, 29 (make-up), 30 Sep, 8-11 Oct → ends Fri 11 Oct.
    const r = courtApplication(facts({ demandServedAt: at10('2024-09-23') }), ctx, at10('2024-10-11'));
    expect(r).toMatchObject({ demandPeriodEnd: '2024-10-11', earliest: '2024-10-12', allowed: false });
  });

  it('needs a demand first, and refuses after the party sought a remedy or paid', () => {
    const none = courtApplication(facts(), ctx, at10('2024-10-01'));
    expect(none).toMatchObject({ allowed: false, earliest: null, latest: '2024-12-02' });
    expect(codes(none)).toEqual(['demand_not_served']);
    const sued = courtApplication(
      facts({
        demandServedAt: at10('2024-08-20'),
        remedies: [{ kind: 'lawsuit', filedOn: '2024-05-10', concludedOn: '2024-08-01' }],
      }),
      ctx,
      at10('2024-10-01'),
    );
    expect(codes(sued)).toEqual(['remedy_sought']);
    expect(codes(courtApplication({ ...demanded, performed: true }, ctx, at10('2024-10-01')))).toEqual([
      'performed',
    ]);
  });

  it('refuses a demand said to be served before the payment period ended', () => {
    const r = courtApplication(facts({ demandServedAt: at10('2024-03-10') }), ctx, at10('2024-10-01'));
    expect(codes(r)).toEqual(['demand_premature']);
  });
});
