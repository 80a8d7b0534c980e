import { localDate } from '@ecc/shared-kernel';

/** 成文日期 as the forms print it, in Arabic numerals (2024年5月20日), in the bureau's time zone. */
export function chineseDate(instant: Date, timeZone: string): string {
  const [y, m, d] = localDate(instant, timeZone).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment in a record (询问时间): 2024年5月12日10时21分. */
export function chineseDateTime(instant: Date, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f)
    timeFormats.set(
      timeZone,
      (f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })),
    );
  const [h, min] = f.format(instant).split(':');
  return `${chineseDate(instant, timeZone)}${Number(h)}时${min}分`;
}
