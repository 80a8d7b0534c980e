import { z } from 'zod';
import { addDays, startOfLocalDay, validationError } from '@ecc/shared-kernel';

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A time filter of a list: an ISO 8601 instant with its offset, or a plain date (`2026-12-06`), which names a
 * whole day of the bureau (BUREAU_TIMEZONE) — what a member of staff types into a filter.
 */
export const timeFilterSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .describe('an ISO 8601 instant with offset, or a plain date YYYY-MM-DD: a whole day in BUREAU_TIMEZONE');

/**
 * The instants of a `from`/`to` filter: a plain `from` is the start of its day, a plain `to` the end of its day
 * (the range includes that day; an instant `to` stays exclusive). Refuses a range that ends before it starts.
 */
export function timeRange(
  filter: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
): { from?: Date; to?: Date } {
  const from = filter.from === undefined ? undefined : instantOf(filter.from, 'from', timeZone);
  const to = filter.to === undefined ? undefined : instantOf(filter.to, 'to', timeZone);
  if (from && to && from >= to) {
    throw validationError('the period ends before it starts', [
      { path: 'query.to', message: 'must be after from' },
    ]);
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function instantOf(value: string, bound: 'from' | 'to', timeZone: string): Date {
  if (!PLAIN_DATE.test(value)) return new Date(value);
  return startOfLocalDay(bound === 'from' ? value : addDays(value, 1), timeZone);
}
