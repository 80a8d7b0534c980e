import {
  addMonths,
  correctionPeriodEnd,
  decisionDeadline,
  decisionNotBefore,
  hasHearingRight,
  hearingNoticeLatest,
  hearingRequestWindowEnd,
  homeAuthorityReportDeadline,
  lawsuitWindowEnd,
  paymentDeadline,
  publicityDeadline,
  reconsiderationWindowEnd,
  responseWindowEnd,
  serviceDeadline,
  statementWindowEnd,
  type DeadlineContext,
} from './deadlines';
import { casePolicySchema, DEFAULT_CASE_POLICY } from './periods';
import { CN_WORKING_CALENDAR_2024_2026 } from './working-calendar';

const ctx: DeadlineContext = { timeZone: 'Asia/Shanghai', calendar: CN_WORKING_CALENDAR_2024_2026 };
/** An instant at 10:00 Beijing time on a local date. */
const at10 = (date: string) => new Date(`${date}T02:00:00Z`);
/** The last instant of a local Beijing day. */
const endOfBeijing = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000 - 1);

describe('case deadlines', () => {
  it('decision: 90 calendar days after filing (Art. 60), not moved off a holiday', () => {
    // filed 5 Nov 2024 → 3 Feb 2025, which lies in the Spring Festival holiday: the bureau must not rely on it.
    const d = decisionDeadline(at10('2024-11-05'), ctx);
    expect(d).toMatchObject({
      lastDay: '2025-02-03',
      counting: 'calendar_days',
      length: 90,
      source: 'law',
      extended: false,
    });
    expect(d.due.toISOString()).toBe('2025-02-03T15:59:59.999Z');
    expect(d.basis[0]).toEqual({ code: 'APL-60', article: '《中华人民共和国行政处罚法》第六十条' });
  });

  it('counts from the local day in the bureau zone, not the UTC day', () => {
    // 2024-11-04T17:30Z is 01:30 on 5 November in Beijing.
    expect(decisionDeadline(new Date('2024-11-04T17:30:00Z'), ctx).lastDay).toBe('2025-02-03');
    expect(decisionDeadline(new Date('2024-11-04T17:30:00Z'), { ...ctx, timeZone: 'UTC' }).lastDay).toBe(
      '2025-02-02',
    );
  });

  it('service: 7 working days after the decision (Art. 61 with Art. 85)', () => {
    const d = serviceDeadline(at10('2024-09-27'), ctx);
    expect(d).toMatchObject({ lastDay: '2024-10-12', counting: 'working_days', length: 7 });
    expect(d.basis.map((b) => b.code)).toEqual(['APL-61', 'APL-85']);
  });

  it('hearing request: 5 working days after the notice (Art. 64(1) with Art. 85)', () => {
    // Fri 27 Sep 2024: 29 (make-up), 30, 8, 9, 10 Oct
    const d = hearingRequestWindowEnd(at10('2024-09-27'), ctx);
    expect(d.lastDay).toBe('2024-10-10');
    expect(d.due).toEqual(endOfBeijing('2024-10-10'));
    expect(d.basis.map((b) => b.code)).toEqual(['APL-64', 'APL-85']);
  });

  it('hearing notice: the latest day is 7 working days before the hearing (Art. 64(2))', () => {
    const d = hearingNoticeLatest(new Date('2024-11-18T01:00:00Z'), ctx);
    expect(d).toMatchObject({
      lastDay: '2024-11-07',
      startDay: '2024-11-18',
      counting: 'working_days_before',
    });
  });

  it('statement: policy days, in working days by default, in calendar days on request', () => {
    expect(statementWindowEnd(at10('2024-11-08'), ctx)).toMatchObject({
      lastDay: '2024-11-13',
      source: 'policy',
      length: 3,
    });
    expect(
      statementWindowEnd(at10('2024-11-08'), { ...ctx, statementCounting: 'calendar_days' }),
    ).toMatchObject({
      lastDay: '2024-11-11',
      extended: false,
    });
    // calendar days ending on a Saturday move to Monday
    expect(
      statementWindowEnd(at10('2024-11-06'), { ...ctx, statementCounting: 'calendar_days' }),
    ).toMatchObject({
      lastDay: '2024-11-11',
      extended: true,
    });
    expect(
      statementWindowEnd(at10('2024-11-08'), { ...ctx, policy: { ...DEFAULT_CASE_POLICY, statementDays: 5 } })
        .lastDay,
    ).toBe('2024-11-15');
  });

  it('payment: 15 days after service (Art. 67), ending at local midnight', () => {
    // served 23:30 Beijing on 5 November → pay until the end of 20 November
    const d = paymentDeadline(new Date('2024-11-05T15:30:00Z'), ctx);
    expect(d.lastDay).toBe('2024-11-20');
    expect(d.due.toISOString()).toBe('2024-11-20T15:59:59.999Z');
    expect(d.extended).toBe(false);
  });

  it('payment: a last day in a holiday moves to the next working day (民法典 Art. 203)', () => {
    // served 16 Sep 2024 → 1 Oct (National Day) → 8 Oct
    expect(paymentDeadline(at10('2024-09-16'), ctx)).toMatchObject({ lastDay: '2024-10-08', extended: true });
  });

  it('response window: policy days (default 15) after the SMS notice', () => {
    expect(responseWindowEnd(at10('2024-11-05'), ctx)).toMatchObject({
      lastDay: '2024-11-20',
      source: 'policy',
    });
    expect(
      responseWindowEnd(at10('2024-11-05'), {
        ...ctx,
        policy: { ...DEFAULT_CASE_POLICY, responseWindowDays: 10 },
      }).lastDay,
    ).toBe('2024-11-15');
  });

  it('home-authority report: 7 working days after closing, across New Year (ORR Art. 44)', () => {
    const d = homeAuthorityReportDeadline(at10('2024-12-27'), ctx);
    expect(d).toMatchObject({ lastDay: '2025-01-08', counting: 'working_days' });
    expect(d.basis[0].article).toBe('《超限运输车辆行驶公路管理规定》第四十四条');
  });

  it('refuses a working-day deadline the holiday data cannot cover', () => {
    expect(() => homeAuthorityReportDeadline(at10('2026-12-28'), ctx)).toThrow(
      expect.objectContaining({ code: 'working_calendar_not_covered' }),
    );
  });

  it('publicity: policy working days after the decision (Art. 48)', () => {
    expect(publicityDeadline(at10('2024-09-27'), ctx)).toMatchObject({
      lastDay: '2024-10-12',
      source: 'policy',
    });
    expect(
      publicityDeadline(at10('2024-09-27'), {
        ...ctx,
        policy: { ...DEFAULT_CASE_POLICY, publicityWorkingDays: 1 },
      }).lastDay,
    ).toBe('2024-09-29');
  });

  it('remedies: 60 days for reconsideration (version in force), 6 months for a lawsuit', () => {
    expect(reconsiderationWindowEnd(at10('2024-03-01'), ctx)).toMatchObject({ lastDay: '2024-04-30' });
    expect(reconsiderationWindowEnd(at10('2024-03-01'), ctx).basis[0].code).toBe('ARL-20');
    expect(reconsiderationWindowEnd(at10('2023-12-01'), ctx).basis[0].code).toBe('ARL-9');
    expect(lawsuitWindowEnd(at10('2024-08-31'), ctx)).toMatchObject({
      lastDay: '2025-02-28',
      counting: 'months',
    });
  });

  it('adds calendar months with the month-end rule (民法典 Art. 202)', () => {
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2024-11-05', 2)).toBe('2025-01-05');
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15');
  });

  it('no decision before the statement and (when applicable) hearing windows close', () => {
    const withHearing = decisionNotBefore(at10('2024-11-08'), ctx, { hearingRight: true });
    expect(withHearing.at.toISOString()).toBe('2024-11-15T16:00:00.000Z'); // start of 16 Nov Beijing
    expect(withHearing.waitsFor.map((d) => d.name)).toEqual(['statement_window', 'hearing_request_window']);
    const without = decisionNotBefore(at10('2024-11-08'), ctx, { hearingRight: false });
    expect(without.at.toISOString()).toBe('2024-11-13T16:00:00.000Z');
  });

  it("grants a hearing for a fine at or above the threshold of the party's kind, and for revocation, suspension, stop orders", () => {
    const person = (amountYuan: number) => ({
      kind: 'fine' as const,
      amountYuan,
      partyKind: 'person' as const,
    });
    const organisation = (amountYuan: number) => ({
      kind: 'fine' as const,
      amountYuan,
      partyKind: 'organisation' as const,
    });
    // 较大数额 (Art. 63): a person from 1,000 yuan, an organisation from 20,000 yuan (policy defaults).
    expect(hasHearingRight(person(1_000))).toBe(true);
    expect(hasHearingRight(person(999))).toBe(false);
    expect(hasHearingRight(organisation(20_000))).toBe(true);
    expect(hasHearingRight(organisation(19_999))).toBe(false);
    expect(hasHearingRight(organisation(15_000))).toBe(false);
    const lower = { ...DEFAULT_CASE_POLICY, hearingThresholds: { personYuan: 500, organisationYuan: 5_000 } };
    expect(hasHearingRight(organisation(5_000), lower)).toBe(true);
    expect(hasHearingRight(person(500), lower)).toBe(true);
    // Whatever the amount or the party: revocation, suspension, an order to stop commercial transport.
    for (const partyKind of ['person', 'organisation'] as const) {
      expect(hasHearingRight({ kind: 'licence_revocation', partyKind })).toBe(true);
      expect(hasHearingRight({ kind: 'certificate_revocation', partyKind })).toBe(true);
      expect(hasHearingRight({ kind: 'business_suspension', partyKind })).toBe(true);
      expect(hasHearingRight({ kind: 'order_stop_transport', partyKind })).toBe(true);
      expect(hasHearingRight({ kind: 'warning', partyKind })).toBe(false);
      expect(hasHearingRight({ kind: 'order_correct', partyKind })).toBe(false);
    }
  });

  it('refuses hearing thresholds that are not whole yuan, and keeps the two defaults with their source', () => {
    expect(DEFAULT_CASE_POLICY.hearingThresholds).toEqual({ personYuan: 1_000, organisationYuan: 20_000 });
    expect(casePolicySchema.parse({}).hearingThresholds).toEqual({
      personYuan: 1_000,
      organisationYuan: 20_000,
    });
    expect(
      casePolicySchema.safeParse({ hearingThresholds: { personYuan: 10.5, organisationYuan: 20_000 } })
        .success,
    ).toBe(false);
    expect(casePolicySchema.safeParse({ hearingThresholds: { personYuan: 1_000 } }).success).toBe(false);
  });

  it('has no single hearing threshold any more, and the remedies and performance periods the decision prints', () => {
    expect(casePolicySchema.safeParse({ hearingThresholdYuan: 10_000 }).success).toBe(false);
    const parsed = casePolicySchema.parse({});
    expect(parsed.remedies).toEqual({ reconsiderationBody: '汨罗市人民政府', court: '汨罗市人民法院' });
    expect(parsed.performance).toEqual({ surrenderDays: 15, suspensionDays: 30 });
    expect(
      casePolicySchema.parse({
        remedies: { reconsiderationBody: '岳阳市人民政府', court: '岳阳市岳阳楼区人民法院' },
      }).remedies.court,
    ).toBe('岳阳市岳阳楼区人民法院');
    expect(casePolicySchema.safeParse({ remedies: { reconsiderationBody: '汨罗市人民政府' } }).success).toBe(
      false,
    );
    expect(
      casePolicySchema.safeParse({ performance: { surrenderDays: 0, suspensionDays: 30 } }).success,
    ).toBe(false);
  });

  it('ends a correction period (责令限期改正) like a party period: calendar or working days, off holidays', () => {
    // Served Mon 23 Sep 2024, 15 calendar days → 8 Oct (after the National Day holiday, 1-7 Oct).
    const calendar = correctionPeriodEnd(at10('2024-09-23'), ctx, { days: 15, counting: 'calendar_days' });
    expect(calendar).toMatchObject({
      name: 'correction_period',
      lastDay: '2024-10-08',
      source: 'policy',
      extended: false,
    });
    expect(calendar.basis[0]?.code).toBe('HN-OLR-30');
    // 10 calendar days → 3 Oct, a holiday: the party has until the next working day, 8 Oct.
    expect(
      correctionPeriodEnd(at10('2024-09-23'), ctx, { days: 10, counting: 'calendar_days' }),
    ).toMatchObject({ lastDay: '2024-10-08', extended: true });
    // 10 working days: 24-27, 29 (make-up), 30 Sep, 8-11 Oct.
    expect(correctionPeriodEnd(at10('2024-09-23'), ctx, { days: 10, counting: 'working_days' }).lastDay).toBe(
      '2024-10-11',
    );
    expect(() =>
      correctionPeriodEnd(at10('2024-09-23'), ctx, { days: 0, counting: 'calendar_days' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_correction_period' }));
  });
});
