import { addMonths, deadlineAfterMonths, localDaysBetween } from './case-deadlines';

describe('month and day counting', () => {
  it.each([
    ['2024-03-14', 6, '2024-09-14'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-01-31', 1, '2024-02-29'],
  ])(
    '%s + %i months = %s (民法典 Art. 202: the corresponding day, else the last day)',
    (from, months, expected) => {
      expect(addMonths(from, months)).toBe(expected);
    },
  );

  it('ends a month period at the last instant of the local day', () => {
    // Served 2024-03-14 09:00 Beijing: the six months end with 14 September, Beijing time.
    expect(deadlineAfterMonths(new Date('2024-03-14T01:00:00Z'), 6, 'Asia/Shanghai').toISOString()).toBe(
      '2024-09-14T15:59:59.999Z',
    );
  });

  it('counts days between local dates', () => {
    // 23:30 Beijing on 6 March to 00:30 Beijing on 13 March: 7 calendar days, though under 7 × 24 hours.
    expect(
      localDaysBetween(new Date('2024-03-06T15:30:00Z'), new Date('2024-03-12T16:30:00Z'), 'Asia/Shanghai'),
    ).toBe(7);
  });
});
