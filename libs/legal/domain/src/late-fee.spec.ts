import { lateFee } from './late-fee';

describe('lateFee (行政处罚法 Art. 72(1)(一))', () => {
  it('is nothing when paid on or before the due date', () => {
    expect(lateFee(2000, '2024-11-20', '2024-11-20')).toMatchObject({
      daysLate: 0,
      amountFen: 0,
      capped: false,
    });
    expect(lateFee(2000, '2024-11-20', '2024-11-01').daysLate).toBe(0);
  });

  it('adds 3% of the fine for each calendar day after the due date', () => {
    expect(lateFee(2000, '2024-11-20', '2024-11-21')).toMatchObject({
      daysLate: 1,
      amountFen: 6000,
      amountYuan: 60,
    });
    expect(lateFee(2000, '2024-11-20', '2024-12-01')).toMatchObject({ daysLate: 11, amountYuan: 660 });
    expect(lateFee(2000, '2024-11-20', '2024-11-21').basis.code).toBe('APL-72');
  });

  it('is capped at the fine itself: 33 days = 99%, day 34 reaches the cap', () => {
    expect(lateFee(1000, '2024-11-20', '2024-12-23')).toMatchObject({
      daysLate: 33,
      amountYuan: 990,
      capped: false,
    });
    expect(lateFee(1000, '2024-11-20', '2024-12-24')).toMatchObject({
      daysLate: 34,
      amountYuan: 1000,
      capped: true,
    });
    expect(lateFee(1000, '2024-11-20', '2025-11-20')).toMatchObject({ amountYuan: 1000, capped: true });
  });

  it('computes in fen: a whole-yuan fine is exact, a fine with fen rounds down to the fen', () => {
    expect(lateFee(250, '2024-11-20', '2024-11-21').amountYuan).toBe(7.5);
    // 250.55 × 3% = 7.5165 → 7.51
    expect(lateFee(250.55, '2024-11-20', '2024-11-21')).toMatchObject({ amountFen: 751, amountYuan: 7.51 });
    expect(() => lateFee(250.555, '2024-11-20', '2024-11-21')).toThrow(
      expect.objectContaining({ code: 'invalid_fine_amount' }),
    );
    expect(() => lateFee(-1, '2024-11-20', '2024-11-21')).toThrow(
      expect.objectContaining({ code: 'invalid_fine_amount' }),
    );
  });

  it('reads instants as dates in the bureau zone, and insists on the zone for them', () => {
    // 2024-11-20T16:30Z is already 00:30 on 21 November in Beijing: one day late there, not in UTC.
    const paid = new Date('2024-11-20T16:30:00Z');
    expect(lateFee(2000, '2024-11-20', paid, { timeZone: 'Asia/Shanghai' }).daysLate).toBe(1);
    expect(lateFee(2000, '2024-11-20', paid, { timeZone: 'UTC' }).daysLate).toBe(0);
    expect(() => lateFee(2000, '2024-11-20', paid)).toThrow(
      expect.objectContaining({ code: 'time_zone_required' }),
    );
    expect(() => lateFee(2000, '20/11/2024', '2024-11-21')).toThrow(
      expect.objectContaining({ code: 'invalid_date' }),
    );
  });
});
