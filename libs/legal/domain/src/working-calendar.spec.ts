import {
  addWorkingDays,
  calendarCoverageEnding,
  CN_WORKING_CALENDAR_2024_2026 as CN,
  deadlineAfterWorkingDays,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  subtractWorkingDays,
  workingDayDeadlines,
  workingDaysBetween,
  type WorkingDayCalendar,
} from './working-calendar';

const weekendsOnly: WorkingDayCalendar = { name: 'weekends only', holidays: [], makeUpWorkdays: [] };

describe('working-day calendar', () => {
  it('knows weekdays, weekends, holidays and make-up working days', () => {
    expect(isWorkingDay('2024-11-05', CN)).toBe(true); // Tuesday
    expect(isWorkingDay('2024-11-09', CN)).toBe(false); // Saturday
    expect(isWorkingDay('2024-10-01', CN)).toBe(false); // 国庆节 (Tuesday)
    expect(isWorkingDay('2024-09-29', CN)).toBe(true); // 调休上班 (Sunday)
    expect(isWorkingDay('2026-02-23', CN)).toBe(false); // 春节 2026 (Monday)
    expect(isWorkingDay('2026-02-28', CN)).toBe(true); // 调休上班 (Saturday)
  });

  it('adds working days across the 2024 National Day holiday and its make-up days', () => {
    // Fri 27 Sep → Sun 29 (make-up, 1), Mon 30 (2), 1–7 Oct off, 8 (3), 9 (4), 10 (5), 11 (6), Sat 12 (make-up, 7)
    expect(addWorkingDays('2024-09-27', 7, CN)).toBe('2024-10-12');
    expect(addWorkingDays('2024-09-27', 7, weekendsOnly)).toBe('2024-10-08');
  });

  it('does not count the start day, and n = 0 is the day itself or the next working day', () => {
    expect(addWorkingDays('2024-11-05', 1, CN)).toBe('2024-11-06');
    expect(addWorkingDays('2024-11-05', 0, CN)).toBe('2024-11-05');
    expect(addWorkingDays('2024-11-09', 0, CN)).toBe('2024-11-11');
    expect(() => addWorkingDays('2024-11-05', -1, CN)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-11-05', 1.5, CN)).toThrow(RangeError);
  });

  it('crosses a year end with New Year', () => {
    // Fri 27 Dec 2024 → 30, 31, (1 Jan off), 2, 3, 6, 7, 8
    expect(addWorkingDays('2024-12-27', 7, CN)).toBe('2025-01-08');
  });

  it('subtracts working days', () => {
    expect(subtractWorkingDays('2024-11-18', 7, CN)).toBe('2024-11-07');
    expect(subtractWorkingDays('2024-10-12', 7, CN)).toBe('2024-09-27');
  });

  it('counts working days elapsed in (from, to]', () => {
    expect(workingDaysBetween('2024-09-27', '2024-10-12', CN)).toBe(7);
    expect(workingDaysBetween('2024-10-12', '2024-09-27', CN)).toBe(0);
    expect(nextWorkingDayOnOrAfter('2024-10-01', CN)).toBe('2024-10-08');
  });

  it('refuses to guess beyond the holiday data it covers', () => {
    expect(() => addWorkingDays('2026-12-28', 7, CN)).toThrow(
      expect.objectContaining({ code: 'working_calendar_not_covered', category: 'rule_violation' }),
    );
    expect(addWorkingDays('2026-12-28', 7, weekendsOnly)).toBe('2027-01-06');
  });

  it('supports another weekend (a calendar is data)', () => {
    const fridayOff: WorkingDayCalendar = { name: 'x', holidays: [], makeUpWorkdays: [], weekendDays: [5] };
    expect(isWorkingDay('2024-11-09', fridayOff)).toBe(true);
    expect(isWorkingDay('2024-11-08', fridayOff)).toBe(false);
  });

  it('binds the calendar as the port the case machine takes, ending at local midnight', () => {
    const port = workingDayDeadlines(CN);
    const start = new Date('2024-09-27T02:00:00Z'); // 10:00 Beijing, Friday
    expect(port.deadlineAfterWorkingDays(start, 7, 'Asia/Shanghai').toISOString()).toBe(
      '2024-10-12T15:59:59.999Z',
    );
    expect(deadlineAfterWorkingDays(start, 7, 'Asia/Shanghai', CN)).toEqual(
      port.deadlineAfterWorkingDays(start, 7, 'Asia/Shanghai'),
    );
  });

  it('lists each year of holiday data consistently (no date both off and make-up)', () => {
    const both = CN.holidays.filter((d) => CN.makeUpWorkdays.includes(d));
    expect(both).toEqual([]);
    // every make-up day is a weekend day
    for (const d of CN.makeUpWorkdays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });
});

describe('calendarCoverageEnding: warns before the calendar runs out', () => {
  const calendar = CN; // covers 2024-01-01 … 2026-12-31

  it('is silent while the coverage reaches beyond the warning period', () => {
    expect(calendarCoverageEnding(calendar, '2026-11-15', 45)).toBeNull();
    expect(calendarCoverageEnding({ ...calendar, coverage: undefined }, '2026-12-30', 45)).toBeNull();
  });

  it('counts the days left from the warning period on, down to negative once it has run out', () => {
    expect(calendarCoverageEnding(calendar, '2026-11-16', 45)).toEqual({
      coveredUntil: '2026-12-31',
      daysLeft: 45,
    });
    expect(calendarCoverageEnding(calendar, '2026-11-28', 45)).toEqual({
      coveredUntil: '2026-12-31',
      daysLeft: 33,
    });
    expect(calendarCoverageEnding(calendar, '2027-01-02', 45)).toEqual({
      coveredUntil: '2026-12-31',
      daysLeft: -2,
    });
  });
});
