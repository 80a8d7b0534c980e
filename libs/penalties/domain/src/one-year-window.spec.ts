import { oneYearWindow, withinOneYearBefore } from './one-year-window';

describe('one year (一年内) in calendar dates', () => {
  it('counts a trip 365 days back in an ordinary year, not one 366 days back', () => {
    // 2024-03-01 → 2025-03-01 is 365 days (no 29 February in between).
    expect(withinOneYearBefore('2024-03-01', '2025-03-01')).toBe(true);
    expect(withinOneYearBefore('2024-02-29', '2025-03-01')).toBe(false);
  });

  it('counts the same calendar date a year back also when 29 February lies between (366 days)', () => {
    expect(withinOneYearBefore('2023-03-01', '2024-03-01')).toBe(true);
    expect(withinOneYearBefore('2023-02-28', '2024-03-01')).toBe(false);
  });

  it('ends the year of a 29 February trip on 28 February (民法典 Art. 202)', () => {
    expect(withinOneYearBefore('2024-02-29', '2025-02-28')).toBe(true);
    expect(withinOneYearBefore('2024-02-29', '2025-03-01')).toBe(false);
  });

  it('never counts a trip after the violation date', () => {
    expect(withinOneYearBefore('2025-03-02', '2025-03-01')).toBe(false);
    expect(withinOneYearBefore('2025-03-01', '2025-03-01')).toBe(true);
  });

  it('shows the window a reviewer can check', () => {
    expect(oneYearWindow('2025-03-01')).toEqual({ from: '2024-03-01', to: '2025-03-01' });
    expect(oneYearWindow('2024-02-29')).toEqual({ from: '2023-03-01', to: '2024-02-29' });
  });
});
