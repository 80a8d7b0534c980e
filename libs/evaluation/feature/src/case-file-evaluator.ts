import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_EVALUATION_SETTINGS,
  evaluateCaseFile,
  evaluationPolicySchema,
  gradesOf,
  meetsClosingThreshold,
  type CaseRemedy,
  type EvaluationAxis,
  type EvaluationContext,
  type EvaluationPolicy,
  type EvaluationRule,
  type Grade,
  rulesInForce,
} from '@ecc/evaluation-domain';
import { CaseFileRecordsRepository } from '@ecc/evaluation-data';
import {
  casePolicySchema,
  CN_WORKING_CALENDAR_2024_2026,
  workingDayCalendarSchema,
  type WorkingDayCalendar,
} from '@ecc/legal-domain';
import { PoliciesRepository } from '@ecc/legal-data';
import type { AppConfig } from '@ecc/shared-config';
import { notFound } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { assembleCaseFile } from './case-file.assembler';

/** The policy key of the grades, the closing threshold and the rule overrides (defaults while unset). */
export const EVALUATION_POLICY_KEY = 'case_file_evaluation';

export interface FindingView {
  axis: EvaluationAxis;
  code: string;
  message: string;
  messageEn: string;
  deduction: number;
  documentRef: string | null;
  details: string[];
}

export interface CaseEvaluationView {
  caseId: string;
  caseNumber: string | null;
  state: string;
  score: number;
  grade: Grade;
  /** The closing threshold in force (policy) and whether the file meets it. */
  threshold: number;
  meetsThreshold: boolean;
  findings: FindingView[];
  /** Reconsiderations and lawsuits against the decision, with their outcomes, as the evaluation read them. */
  remedies: Required<CaseRemedy>[];
}

/**
 * 案卷评查 of one case from its records, with the rules in force (the defaults with the `case_file_evaluation`
 * policy's overrides), the catalogue in the legal_bases table and the case policy in force. Reads only.
 */
@Injectable()
export class CaseFileEvaluator {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: CaseFileRecordsRepository,
    private readonly policies: PoliciesRepository,
  ) {}

  async evaluate(
    caseId: string,
    db: Tx | PrismaClient = this.prisma,
    closing?: { at: Date; approverName: string },
  ): Promise<CaseEvaluationView> {
    const records = await this.records.load(caseId, db);
    if (!records) throw notFound('case', caseId);
    const at = closing?.at ?? new Date();
    const timeZone = this.config.bureau.timeZone;
    const [catalogue, context] = await Promise.all([
      this.records.catalogue(db),
      this.context(at, timeZone, db),
    ]);
    const { caseFile, computedFineYuan } = assembleCaseFile(records, this.config.bureau, closing);
    const evaluationContext: EvaluationContext = { ...context, computedFineYuan };
    const result = evaluateCaseFile(caseFile, context.rules, catalogue, evaluationContext);
    return {
      caseId,
      caseNumber: records.caseNumber,
      state: records.state,
      score: result.score,
      grade: result.grade,
      threshold: context.evaluationPolicy.closingMinimumScore,
      meetsThreshold: meetsClosingThreshold(result, evaluationContext),
      findings: result.findings.map((f) => ({
        axis: f.axis,
        code: f.code,
        message: f.message.zh,
        messageEn: f.message.en,
        deduction: f.deduction,
        documentRef: f.documentRef,
        details: f.details,
      })),
      remedies: (caseFile.remedies ?? []).map((r) => ({
        kind: r.kind,
        body: r.body ?? null,
        filedOn: r.filedOn,
        concludedOn: r.concludedOn,
        outcome: r.outcome ?? null,
      })),
    };
  }

  private async context(
    at: Date,
    timeZone: string,
    db: Tx | PrismaClient,
  ): Promise<EvaluationContext & { evaluationPolicy: EvaluationPolicy; rules: EvaluationRule[] }> {
    const [casePolicy, calendar, evaluation] = await Promise.all([
      this.policies.current('case', at, db),
      this.policies.current('working_calendar', at, db),
      this.policies.current(EVALUATION_POLICY_KEY, at, db),
    ]);
    const parsedCase = casePolicy ? casePolicySchema.safeParse(casePolicy.value) : undefined;
    const parsedCalendar = calendar ? workingDayCalendarSchema.safeParse(calendar.value) : undefined;
    const parsedEvaluation = evaluation ? evaluationPolicySchema.safeParse(evaluation.value) : undefined;
    // A stored policy is validated when an admin sets it; one that no longer parses falls back to the defaults.
    const settings = parsedEvaluation?.success ? parsedEvaluation.data : DEFAULT_EVALUATION_SETTINGS;
    return {
      timeZone,
      calendar: parsedCalendar?.success
        ? (parsedCalendar.data as WorkingDayCalendar)
        : CN_WORKING_CALENDAR_2024_2026,
      ...(parsedCase?.success ? { casePolicy: parsedCase.data } : {}),
      evaluationPolicy: gradesOf(settings),
      rules: rulesInForce(settings.rules),
    };
  }
}
