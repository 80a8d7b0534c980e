import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { addDays, DomainError, startOfLocalDay, daysBetween, type Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK } from '@ecc/platform-nest';
import {
  CASE_TYPES,
  DetectionCountsRepository,
  FIGURES,
  StatisticsRepository,
  type FigureValues,
  type GradeBounds,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { EvaluationBoundsProvider } from './evaluation-bounds.provider';
import type { Statistics, StatisticsQuery } from './statistics.schema';

/**
 * A group's values for every figure broken down that way: a figure with no event in the group is 0 (a count or
 * an amount) or null (a median, an average); figures not broken down that way stay absent.
 */
function complete(values: FigureValues, group: StatisticsGroup | null): FigureValues {
  const out: FigureValues = {};
  for (const f of FIGURES) {
    if (!group || !f.groups.includes(group)) continue;
    out[f.key] = values[f.key] ?? (f.unit === 'count' || f.unit === 'yuan' ? 0 : null);
  }
  return out;
}

const MONTH_LABEL = (key: string) => `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`;
const NO_GROUP = '（无）';

/**
 * 统计: every figure of docs/statistics.md for a period, in total and by month, station, case type or officer —
 * computed by Postgres in one snapshot (shared by two connections); Node only arranges the answer.
 */
@Injectable()
export class GetStatisticsUseCase {
  private readonly logger = new Logger(GetStatisticsUseCase.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly statistics: StatisticsRepository,
    private readonly counts: DetectionCountsRepository,
    private readonly bounds: EvaluationBoundsProvider,
  ) {}

  period(from: string, to: string): StatisticsPeriod {
    const timeZone = this.config.bureau.timeZone;
    const days = daysBetween(from, to) + 1;
    if (days > this.config.statistics.maxPeriodDays) {
      throw new DomainError(
        'validation',
        'statistics_period_too_long',
        `the period has ${days} days; at most ${this.config.statistics.maxPeriodDays} (STATISTICS_MAX_PERIOD_DAYS)`,
        { errors: [{ path: 'query.to', message: 'period too long' }] },
      );
    }
    return {
      fromDate: from,
      toDate: to,
      start: startOfLocalDay(from, timeZone),
      end: startOfLocalDay(addDays(to, 1), timeZone),
      timeZone,
    };
  }

  async execute(query: StatisticsQuery): Promise<Statistics> {
    const period = this.period(query.from, query.to);
    const group: StatisticsGroup | null = query.groupBy ?? null;
    const bounds: GradeBounds = await this.bounds.at(period.end);
    // The kept counts use the days of the zone they were built in; until the worker rebuilds them after a
    // change of BUREAU_TIMEZONE, the detections, leads and notices themselves are counted (slower, still right).
    const detectionCounts =
      (await this.counts.timeZone()) === period.timeZone ? ('summary' as const) : ('detections' as const);
    if (detectionCounts === 'detections') {
      this.logger.warn('statistics counts are kept in another time zone: counting the rows themselves');
    }
    const { total, groups, reasons, labels } = await this.statistics.collect(
      period,
      bounds,
      detectionCounts,
      group,
    );
    const labelOf = (key: string): string => {
      if (key === '') return NO_GROUP;
      if (group === 'month') return MONTH_LABEL(key);
      if (group === 'caseType') return CASE_TYPES[key as keyof typeof CASE_TYPES] ?? key;
      return labels.get(key) ?? key;
    };
    return {
      period: {
        from: period.fromDate,
        to: period.toDate,
        timeZone: period.timeZone,
        start: period.start.toISOString(),
        end: period.end.toISOString(),
      },
      groupBy: group,
      generatedAt: this.clock.now().toISOString(),
      detectionCounts,
      figures: FIGURES.map((f) => ({ ...f, groups: [...f.groups] })),
      total: Object.fromEntries(FIGURES.map((f) => [f.key, total[f.key] ?? null])),
      groups: [...groups.entries()]
        .sort(([a], [b]) =>
          a === ''
            ? 1
            : b === ''
              ? -1
              : group === 'month'
                ? a.localeCompare(b)
                : labelOf(a).localeCompare(labelOf(b), 'zh'),
        )
        .map(([key, values]) => ({ key, label: labelOf(key), values: complete(values, group) })),
      rejectionReasons: reasons,
    };
  }
}
