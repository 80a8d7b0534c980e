import { DomainError } from '@ecc/shared-kernel';
import { applyHolidayNotice, parseHolidayNoticeText } from './holiday-notice';
import { CN_WORKING_CALENDAR_2024_2026, isWorkingDay, type WorkingDayCalendar } from './working-calendar';

/** The 2026 notice (国务院办公厅关于2026年部分节假日安排的通知) as published, festival by festival. */
const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。`;

const errorsOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof DomainError) return (error.details.errors ?? []).map((e) => e.message);
    throw error;
  }
  throw new Error('no error');
};

describe('the State Council holiday notice', () => {
  it('reads the published text into the same days as the built-in 2026 calendar', () => {
    const festivals = parseHolidayNoticeText(2026, NOTICE_2026);
    expect(festivals.map((f) => f.name)).toEqual([
      '元旦',
      '春节',
      '清明节',
      '劳动节',
      '端午节',
      '中秋节',
      '国庆节',
    ]);
    expect(festivals[1]).toEqual({
      name: '春节',
      from: '2026-02-15',
      to: '2026-02-23',
      makeUpWorkdays: ['2026-02-14', '2026-02-28'],
    });
    const empty: WorkingDayCalendar = { name: 'x', holidays: [], makeUpWorkdays: [] };
    const { calendar } = applyHolidayNotice(empty, { year: 2026, text: NOTICE_2026 });
    const builtIn = (days: readonly string[]) => days.filter((d) => d.startsWith('2026-'));
    expect(calendar.holidays).toEqual(builtIn(CN_WORKING_CALENDAR_2024_2026.holidays));
    expect(calendar.makeUpWorkdays).toEqual(builtIn(CN_WORKING_CALENDAR_2024_2026.makeUpWorkdays));
  });

  it('checks the text against itself: the weekday in brackets and the number of days', () => {
    expect(
      errorsOf(() => parseHolidayNoticeText(2026, '三、清明节：4月4日（周五）至6日（周一）放假，共3天。')),
    ).toEqual(['2026-04-04 is a 周六, the notice says 周五']);
    expect(
      errorsOf(() => parseHolidayNoticeText(2026, '三、清明节：4月4日（周六）至6日（周一）放假，共4天。')),
    ).toEqual(['2026-04-04 to 2026-04-06 is 3 days, not 4']);
    expect(errorsOf(() => parseHolidayNoticeText(2026, '请按通知执行'))).toEqual([
      'no festival line (一、元旦：…) found',
    ]);
  });

  it('extends the calendar in force by the year, and says what changes', () => {
    const notice2027 = {
      year: 2027,
      festivals: [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03', makeUpWorkdays: [] },
        { name: '春节', from: '2027-02-05', to: '2027-02-12', makeUpWorkdays: ['2027-02-20'] },
      ],
    };
    const { calendar, changes } = applyHolidayNotice(CN_WORKING_CALENDAR_2024_2026, notice2027);
    expect(calendar.coverage).toEqual({ from: '2024-01-01', to: '2027-12-31' });
    expect(changes).toMatchObject({
      year: 2027,
      holidaysRemoved: [],
      makeUpWorkdaysAdded: ['2027-02-20'],
      coverage: { before: { to: '2026-12-31' }, after: { to: '2027-12-31' } },
    });
    expect(changes.holidaysAdded).toHaveLength(11);
    expect(isWorkingDay('2027-02-08', calendar)).toBe(false);
    expect(isWorkingDay('2027-02-20', calendar)).toBe(true);
    expect(isWorkingDay('2026-10-08', calendar)).toBe(true); // 2026 untouched
  });

  it("replaces a year's days when a corrected notice is entered again", () => {
    const first = applyHolidayNotice(CN_WORKING_CALENDAR_2024_2026, {
      year: 2026,
      festivals: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-08', makeUpWorkdays: [] }],
    });
    expect(first.changes.holidaysAdded).toEqual(['2026-10-08']);
    expect(first.changes.makeUpWorkdaysRemoved).toContain('2026-10-10');
    expect(first.calendar.holidays).not.toContain('2026-02-16');
  });

  it('refuses a day both off and worked', () => {
    expect(
      errorsOf(() =>
        applyHolidayNotice(CN_WORKING_CALENDAR_2024_2026, {
          year: 2027,
          festivals: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03', makeUpWorkdays: ['2027-01-02'] }],
        }),
      ),
    ).toEqual(['2027-01-02 is both a day off and a working day']);
  });
});
