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

  describe('while reconsideration or a lawsuit is pending (Art. 73 ¶3)', () => {
    it('does not count the days from the filing to the outcome, both included', () => {
      // Due 20 Nov; reconsideration filed 25 Nov, decided 4 Dec (10 days paused); paid 10 Dec.
      // Counted: 21-24 Nov (4) and 5-10 Dec (6) = 10 days, 600 yuan on a 2,000-yuan fine.
      const fee = lateFee(2000, '2024-11-20', '2024-12-10', {
        pending: [{ kind: 'reconsideration', from: '2024-11-25', to: '2024-12-04' }],
      });
      expect(fee).toMatchObject({ daysLate: 10, daysPaused: 10, amountYuan: 600 });
      expect(fee.pauseBasis?.code).toBe('APL-73');
    });

    it('pauses until the payment when the remedy is still pending, and counts nothing paused twice', () => {
      expect(
        lateFee(2000, '2024-11-20', '2024-12-10', {
          pending: [{ kind: 'lawsuit', from: '2024-11-22', to: null }],
        }),
      ).toMatchObject({ daysLate: 1, daysPaused: 19, amountYuan: 60 });
      // A reconsideration, then a lawsuit overlapping it: the union is paused once.
      expect(
        lateFee(2000, '2024-11-20', '2024-12-10', {
          pending: [
            { kind: 'reconsideration', from: '2024-11-21', to: '2024-11-30' },
            { kind: 'lawsuit', from: '2024-11-28', to: '2024-12-05' },
          ],
        }),
      ).toMatchObject({ daysLate: 5, daysPaused: 15, amountYuan: 300 });
    });

    it('ignores a remedy before the due date or after the payment, and pauses nothing without one', () => {
      expect(
        lateFee(2000, '2024-11-20', '2024-11-25', {
          pending: [{ kind: 'reconsideration', from: '2024-11-01', to: '2024-11-10' }],
        }),
      ).toMatchObject({ daysLate: 5, daysPaused: 0 });
      expect(lateFee(2000, '2024-11-20', '2024-11-25')).toMatchObject({ daysLate: 5, daysPaused: 0 });
      expect(lateFee(2000, '2024-11-20', '2024-11-25').pauseBasis).toBeUndefined();
    });

    it('refuses a pending period that ends before it starts', () => {
      expect(() =>
        lateFee(2000, '2024-11-20', '2024-12-10', {
          pending: [{ kind: 'lawsuit', from: '2024-12-01', to: '2024-11-30' }],
        }),
      ).toThrow(expect.objectContaining({ code: 'invalid_pending_period' }));
    });
  });
});
