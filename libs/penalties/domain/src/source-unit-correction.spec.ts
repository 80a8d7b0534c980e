import { CN_WORKING_CALENDAR_2024_2026, type DeadlineContext } from '@ecc/legal-domain';
import { DEFAULT_FOUR_PENALTIES_POLICY } from './four-penalties.policy';
import {
  correctionOrder,
  correctionOutcome,
  sourceUnitFineAfterCheck,
  recordedTripStanding,
  standingCorrectionOrder,
} from './source-unit-correction';

const ctx: DeadlineContext = { timeZone: 'Asia/Shanghai', calendar: CN_WORKING_CALENDAR_2024_2026 };
const at10 = (date: string) => new Date(`${date}T02:00:00Z`);

describe('the order to correct a cargo source unit (湖南条例 Art. 30)', () => {
  // Served Mon 2 Dec 2024: 15 calendar days → Tue 17 Dec.
  const order = correctionOrder(at10('2024-12-02'), ctx, DEFAULT_FOUR_PENALTIES_POLICY);

  it('sets the policy period from the service of the order, with its basis', () => {
    expect(order.deadline).toMatchObject({
      name: 'correction_period',
      lastDay: '2024-12-17',
      source: 'policy',
    });
    expect(order).toMatchObject({ periodDays: 15, counting: 'calendar_days' });
    expect(order.basis.map((b) => b.code)).toEqual(['HN-OLR-13', 'HN-OLR-30']);
  });

  it('corrected in time: no fine', () => {
    expect(
      correctionOutcome(order, { corrected: true, correctedOn: '2024-12-17', checkedOn: '2024-12-18' }),
    ).toMatchObject({
      outcome: 'no_fine',
    });
  });

  it('not corrected, or corrected after the period: a fine of 10,000–30,000 yuan may follow', () => {
    for (const check of [
      { corrected: false as const, checkedOn: '2024-12-18' },
      { corrected: true as const, correctedOn: '2024-12-18', checkedOn: '2024-12-19' },
    ]) {
      expect(correctionOutcome(order, check)).toMatchObject({
        outcome: 'fine',
        fineRange: { minYuan: 10_000, maxYuan: 30_000 },
        basis: [{ code: 'HN-OLR-30' }],
      });
    }
  });

  it('cannot find a failure before the period has ended, nor a correction before the order', () => {
    expect(() => correctionOutcome(order, { corrected: false, checkedOn: '2024-12-17' })).toThrow(
      expect.objectContaining({ code: 'correction_period_running' }),
    );
    expect(() =>
      correctionOutcome(order, { corrected: true, correctedOn: '2024-12-01', checkedOn: '2024-12-05' }),
    ).toThrow(expect.objectContaining({ code: 'correction_before_order' }));
    expect(() =>
      correctionOutcome(order, { corrected: true, correctedOn: '2024-12-10', checkedOn: '2024-12-09' }),
    ).toThrow(expect.objectContaining({ code: 'correction_after_check' }));
  });

  it('fines within the range with reasons, only after a failed check', () => {
    const failed = correctionOutcome(order, { corrected: false, checkedOn: '2024-12-20' });
    expect(sourceUnitFineAfterCheck(failed, { amountYuan: 10_000, reasons: '逾期未改正，首次' })).toEqual({
      kind: 'fine',
      amountYuan: 10_000,
      reasons: '逾期未改正，首次',
      basis: [expect.objectContaining({ code: 'HN-OLR-30' })],
    });
    for (const amountYuan of [9_999, 30_001, 10_000.5]) {
      expect(() => sourceUnitFineAfterCheck(failed, { amountYuan, reasons: '逾期未改正' })).toThrow(
        expect.objectContaining({ code: 'source_unit_fine_out_of_range' }),
      );
    }
    expect(() => sourceUnitFineAfterCheck(failed, { amountYuan: 10_000, reasons: '' })).toThrow(
      expect.objectContaining({ code: 'discretion_reasons_required' }),
    );
    const corrected = correctionOutcome(order, {
      corrected: true,
      correctedOn: '2024-12-05',
      checkedOn: '2024-12-06',
    });
    expect(() => sourceUnitFineAfterCheck(corrected, { amountYuan: 10_000, reasons: '逾期未改正' })).toThrow(
      expect.objectContaining({ code: 'corrected_in_time' }),
    );
  });
});

describe('one order to correct per failure, not per trip (湖南条例 Art. 30; 行政处罚法 Art. 29)', () => {
  const at = (d: string) => new Date(`${d}T02:00:00Z`);

  const onFile = (subCaseId: string, state: string, day: string, checked = false) => ({
    subCaseId,
    state,
    createdAt: at(day),
    servedOn: null,
    checked,
  });

  it('a further trip while the order stands is recorded on it: the earliest open order', () => {
    expect(
      standingCorrectionOrder([
        onFile('b', 'investigating', '2024-03-02'),
        onFile('a', 'filed', '2024-03-01'),
      ])?.subCaseId,
    ).toBe('a');
  });

  it('a new order once the check is made, the fine decided, or the case ended (湖南条例 Art. 13: a new act)', () => {
    for (const state of [
      'terminated',
      'closed',
      'archived',
      'not_filed',
      'decided',
      'served',
      'executed',
      'referred_for_enforcement',
    ]) {
      expect(standingCorrectionOrder([onFile('a', state, '2024-03-01')])).toBeNull();
    }
    // checked, its fine not decided yet: the check is made, a later trip cannot be its evidence
    expect(standingCorrectionOrder([onFile('a', 'investigating', '2024-03-01', true)])).toBeNull();
    expect(
      standingCorrectionOrder([
        onFile('a', 'investigating', '2024-03-01', true),
        onFile('b', 'filed', '2024-03-05'),
      ])?.subCaseId,
    ).toBe('b');
    expect(standingCorrectionOrder([])).toBeNull();
  });

  it('labels a recorded trip: evidence of non-correction only when loaded on or after the service', () => {
    expect(recordedTripStanding('2024-03-10', '2024-03-10')).toBe('after_service');
    expect(recordedTripStanding('2024-03-09', '2024-03-10')).toBe('before_service');
    expect(recordedTripStanding('2024-03-09', null)).toBe('order_not_served');
  });
});
