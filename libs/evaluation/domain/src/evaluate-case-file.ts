import { DomainError } from '@ecc/shared-kernel';
import { type CatalogueArticle } from './catalogue-article';
import { type CaseDocument, type CaseFileSnapshot, concernsOneVehicle, documentRef } from './case-file.types';
import { CASE_FILE_CHECKS, type CheckInput, type Fault } from './case-file.checks';
import { DEFAULT_EVALUATION_POLICY, type EvaluationContext, type Grade, gradeOf } from './evaluation.policy';
import { type EvaluationRule, type Finding } from './evaluation-rule';

export interface CaseFileEvaluation {
  /** 100 minus the deductions of the rules that fired, never below 0. */
  score: number;
  grade: Grade;
  findings: Finding[];
}

/**
 * 案卷评查: score a case file against rules given as data, at any stage, so the officer sees what is
 * missing or wrong while it can still be fixed. Each rule that fires deducts its points once.
 */
export function evaluateCaseFile(
  caseFile: CaseFileSnapshot,
  rules: EvaluationRule[],
  catalogue: CatalogueArticle[],
  context: EvaluationContext = {},
): CaseFileEvaluation {
  assertValidRules(rules);
  const input: CheckInput = { caseFile, catalogue, context };
  const findings: Finding[] = [];
  for (const rule of rules.filter((r) => r.appliesTo.includes(caseFile.penaltyKind))) {
    // assertValidRules guarantees a check for every rule that names no document.
    const faults = rule.document
      ? missingOrUnfilled(caseFile, rule.document)
      : (CASE_FILE_CHECKS[rule.code]?.(input) ?? []);
    if (faults.length === 0) continue;
    findings.push({
      axis: rule.axis,
      code: rule.code,
      message: rule.message,
      deduction: rule.deduction,
      documentRef: faults[0]?.documentRef ?? null,
      details: faults.map((f) => f.detail),
    });
  }
  const score = Math.max(0, 100 - findings.reduce((sum, f) => sum + f.deduction, 0));
  return { score, grade: gradeOf(score, context.evaluationPolicy ?? DEFAULT_EVALUATION_POLICY), findings };
}

/** May the case be closed without an approver's override? (policy: score at or above the threshold) */
export function meetsClosingThreshold(
  evaluation: CaseFileEvaluation,
  context: EvaluationContext = {},
): boolean {
  return evaluation.score >= (context.evaluationPolicy ?? DEFAULT_EVALUATION_POLICY).closingMinimumScore;
}

function missingOrUnfilled(
  caseFile: CaseFileSnapshot,
  required: NonNullable<EvaluationRule['document']>,
): Fault[] {
  const docs = caseFile.documents.filter((d) => d.kind === required.kind);
  if (docs.length === 0) return [{ documentRef: null, detail: `${required.kind} is missing` }];
  const fields = [
    ...required.requiredFields,
    ...(caseFile.penaltyKind === 'fine' ? (required.fineFields ?? []) : []),
    ...(concernsOneVehicle(caseFile) ? (required.vehicleFields ?? []) : []),
  ];
  return docs.flatMap((doc) => {
    const empty = fields.filter((name) => !filled(fieldValue(doc, name))).map(labelled);
    return empty.length ? [{ documentRef: documentRef(doc), detail: `not filled: ${empty.join(', ')}` }] : [];
  });
}

/** What each field is on the paper, so that the officer sees what to fill in. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  number: '文书编号',
  dated: '日期',
  partyName: '当事人',
  plate: '车牌号',
  interviewee: '被询问人',
  items: '证据目录',
  amountYuan: '金额',
  basisCodes: '法律依据',
  facts: '违法事实',
  rights: '陈述申辩、听证权利',
  reviewerName: '法制审核人员',
  opinion: '审核意见',
  remedies: '救济途径',
  authority: '作出机关',
  paymentInstructions: '履行方式和期限',
  serviceMethod: '送达方式',
  recipient: '受送达人',
  approvedBy: '负责人审批',
  summary: '结案情况',
};
const labelled = (name: string) => (FIELD_LABELS[name] ? `${name} (${FIELD_LABELS[name]})` : name);

function fieldValue(doc: CaseDocument, name: string): unknown {
  return name in doc && name !== 'fields' ? doc[name as keyof CaseDocument] : doc.fields?.[name];
}

function filled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function assertValidRules(rules: EvaluationRule[]): void {
  const codes = new Set<string>();
  for (const [i, r] of rules.entries()) {
    const problem = codes.has(r.code)
      ? 'duplicate code'
      : !Number.isFinite(r.deduction) || r.deduction < 0
        ? 'deduction must be a non-negative number'
        : !r.document && !CASE_FILE_CHECKS[r.code]
          ? 'no built-in check has this code and it names no document'
          : null;
    if (problem) {
      throw new DomainError('validation', 'invalid_evaluation_rules', `rule ${r.code}: ${problem}`, {
        errors: [{ path: `rules.${i}`, message: problem }],
      });
    }
    codes.add(r.code);
  }
}
