import { type CasePolicy, CN_WORKING_CALENDAR_2024_2026, type WorkingDayCalendar } from '@ecc/legal-domain';

export type Grade = 'excellent' | 'good' | 'qualified' | 'unqualified';

/**
 * Grades and the closing threshold (policy). Defaults follow the grades the province reports
 * (优秀 / 良好 / 合格 / 不合格, 90+ excellent); the 80 and 60 bounds are the usual ones and configurable.
 */
export interface EvaluationPolicy {
  excellentFrom: number;
  goodFrom: number;
  qualifiedFrom: number;
  /** A case scoring below this may be closed only with an approver's override (issue 6). */
  closingMinimumScore: number;
}

export const DEFAULT_EVALUATION_POLICY: EvaluationPolicy = {
  excellentFrom: 90,
  goodFrom: 80,
  qualifiedFrom: 60,
  closingMinimumScore: 90,
};

export function gradeOf(score: number, policy: EvaluationPolicy = DEFAULT_EVALUATION_POLICY): Grade {
  if (score >= policy.excellentFrom) return 'excellent';
  if (score >= policy.goodFrom) return 'good';
  if (score >= policy.qualifiedFrom) return 'qualified';
  return 'unqualified';
}

/** What the evaluation needs besides the case file and the catalogue. */
export interface EvaluationContext {
  /** The fine the rules compute for this case (Art. 43 or the sub-case plan); unchecked when absent. */
  computedFineYuan?: number | null;
  /** Statement period and hearing threshold, as configured for cases. */
  casePolicy?: CasePolicy;
  evaluationPolicy?: EvaluationPolicy;
  /** The bureau's zone and working-day calendar, for the periods of 行政处罚法 Art. 85. */
  timeZone?: string;
  calendar?: WorkingDayCalendar;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_CALENDAR = CN_WORKING_CALENDAR_2024_2026;
