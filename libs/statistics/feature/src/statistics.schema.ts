import { z } from 'zod';
import { EXPORT_FORMATS } from '@ecc/shared-export';
import { STATISTICS_GROUPS } from '@ecc/statistics-data';

const isoDate = z.iso.date().describe('a day of the bureau (BUREAU_TIMEZONE), YYYY-MM-DD');

/** `GET /statistics`: a period of whole days, `from` and `to` both included, and an optional grouping. */
export const statisticsQuerySchema = z
  .strictObject({
    from: isoDate,
    to: isoDate.describe('the last day of the period, included'),
    groupBy: z.enum(STATISTICS_GROUPS).optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type StatisticsQuery = z.infer<typeof statisticsQuerySchema>;

export const exportFormatSchema = z.enum(EXPORT_FORMATS).default('xlsx');

export const statisticsExportQuerySchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(STATISTICS_GROUPS).optional(),
    format: exportFormatSchema,
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

const values = z.record(z.string(), z.number().nullable());

export const statisticsSchema = z.object({
  period: z.object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    start: z.string().describe('the first instant of the period'),
    end: z.string().describe('the first instant after the period'),
  }),
  groupBy: z.enum(STATISTICS_GROUPS).nullable(),
  generatedAt: z.string(),
  detectionCounts: z
    .enum(['summary', 'detections'])
    .describe('where the detection figures came from: the kept daily counts, or the detections themselves'),
  figures: z.array(
    z.object({
      key: z.string(),
      section: z.string(),
      label: z.string(),
      unit: z.enum(['count', 'yuan', 'days', 'score']),
      definition: z.string(),
      groups: z.array(z.enum(STATISTICS_GROUPS)),
    }),
  ),
  total: values,
  groups: z
    .array(z.object({ key: z.string(), label: z.string(), values }))
    .describe(
      'one entry per group key (month, station, case type or officer); a figure not broken down that way is absent',
    ),
  rejectionReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
export type Statistics = z.infer<typeof statisticsSchema>;
