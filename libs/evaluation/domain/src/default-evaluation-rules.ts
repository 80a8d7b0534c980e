import { PENALTY_KINDS, type PenaltyKind } from '@ecc/legal-domain';
import { type DocumentKind } from './case-file.types';
import { type EvaluationRule, type LocalisedMessage } from './evaluation-rule';

const ALL: PenaltyKind[] = [...PENALTY_KINDS];

function documentRule(
  kind: DocumentKind,
  message: LocalisedMessage,
  deduction: number,
  requiredFields: string[],
  options: { fineFields?: string[]; vehicleFields?: string[]; appliesTo?: PenaltyKind[] } = {},
): EvaluationRule {
  return {
    axis: 'completeness',
    code: `completeness.${kind}`,
    message,
    deduction,
    appliesTo: options.appliesTo ?? ALL,
    document: {
      kind,
      requiredFields,
      ...(options.fineFields ? { fineFields: options.fineFields } : {}),
      ...(options.vehicleFields ? { vehicleFields: options.vehicleFields } : {}),
    },
  };
}

const rule = (
  axis: 'consistency' | 'legal_basis',
  code: string,
  zh: string,
  en: string,
  deduction: number,
  appliesTo: PenaltyKind[] = ALL,
): EvaluationRule => ({ axis, code: `${axis}.${code}`, message: { zh, en }, deduction, appliesTo });

/**
 * The default scoring of the province's case-file evaluation (案卷评查). Deductions are policy: an admin may re-weight,
 * drop or restrict rules; a new required document is a new completeness row.
 */
export const DEFAULT_EVALUATION_RULES: EvaluationRule[] = [
  // 完整性: every document the case type requires, present and filled.
  documentRule(
    'filing_approval',
    { zh: '立案审批表缺失或未填写完整', en: 'Filing approval missing or incomplete' },
    5,
    ['number', 'dated', 'partyName', 'approvedBy'],
  ),
  documentRule(
    'inquiry_record',
    { zh: '询问笔录缺失或未填写完整', en: 'Inquiry record missing or incomplete' },
    5,
    ['dated', 'partyName', 'interviewee'],
    { vehicleFields: ['plate'] },
  ),
  documentRule(
    'evidence_list',
    { zh: '证据清单缺失或未填写完整', en: 'Evidence list missing or incomplete' },
    5,
    ['dated', 'items'],
  ),
  documentRule(
    'pre_penalty_notice',
    { zh: '行政处罚告知书缺失或未填写完整', en: 'Pre-penalty notice missing or incomplete' },
    10,
    ['number', 'dated', 'partyName', 'basisCodes', 'facts', 'rights'],
    { fineFields: ['amountYuan'], vehicleFields: ['plate'] },
  ),
  documentRule(
    'legal_review_opinion',
    { zh: '法制审核意见书缺失或未填写完整', en: 'Legal review opinion missing or incomplete' },
    10,
    ['dated', 'reviewerName', 'opinion'],
  ),
  documentRule(
    'decision',
    { zh: '行政处罚决定书缺失或未填写完整', en: 'Penalty decision missing or incomplete' },
    15,
    ['number', 'dated', 'partyName', 'basisCodes', 'facts', 'remedies', 'authority'],
    { fineFields: ['amountYuan', 'paymentInstructions'], vehicleFields: ['plate'] },
  ),
  documentRule(
    'proof_of_service',
    { zh: '送达回证缺失或未填写完整', en: 'Proof of service missing or incomplete' },
    5,
    ['dated', 'partyName', 'serviceMethod', 'recipient'],
  ),
  documentRule(
    'payment_record',
    { zh: '罚没款缴纳凭证缺失或未填写完整', en: 'Payment record missing or incomplete' },
    5,
    ['number', 'dated', 'amountYuan'],
    { appliesTo: ['fine'] },
  ),
  documentRule(
    'closing_report',
    { zh: '结案报告缺失或未填写完整', en: 'Closing report missing or incomplete' },
    5,
    ['dated', 'summary', 'approvedBy'],
  ),

  // 逻辑一致性.
  rule('consistency', 'date_order', '文书日期先后顺序不合法', 'Dates are not in lawful order', 5),
  rule(
    'consistency',
    'decision_within_90_days',
    '未在立案之日起九十日内作出处罚决定（行政处罚法第六十条）',
    'Decision not made within 90 days of filing (Art. 60)',
    10,
  ),
  rule(
    'consistency',
    'defence_period_respected',
    '陈述申辩或听证申请期限届满前即作出决定（行政处罚法第四十四条、第六十四条）',
    'Decision made before the statement or hearing-request period ended (Arts. 44, 64)',
    10,
  ),
  rule(
    'consistency',
    'hearing_notice_7_days',
    '未在听证七日前通知当事人（行政处罚法第六十四条）',
    'Hearing not notified 7 days before it was held (Art. 64)',
    5,
  ),
  rule(
    'consistency',
    'service_within_7_days',
    '处罚决定书未在七日内送达（行政处罚法第六十一条）',
    'Decision not served within 7 days (Art. 61)',
    5,
  ),
  rule(
    'consistency',
    'payment_within_15_days',
    '逾期缴纳罚款未依法加处罚款（行政处罚法第六十七条、第七十二条）',
    'Fine paid after 15 days without the lawful late fine (Arts. 67, 72)',
    5,
    ['fine'],
  ),
  rule(
    'consistency',
    'remedy_outcome_followed',
    '复议或诉讼记录与决定不符，或处罚决定被撤销后仍据以收缴、结案（行政复议法第六十四条、行政诉讼法第七十条）',
    'A remedy out of order, or a decision annulled on reconsideration or by the court still collected or closed on',
    10,
  ),
  rule('consistency', 'party_identical', '各文书当事人不一致', 'Party differs between documents', 5),
  rule('consistency', 'plate_identical', '各文书车牌号不一致', 'Plate differs between documents', 5),
  rule('consistency', 'amount_identical', '各文书罚款金额不一致', 'Amounts differ between documents', 5, [
    'fine',
  ]),
  rule(
    'consistency',
    'fine_as_computed',
    '罚款金额与计算结果不符',
    'The fine differs from the amount the rules compute',
    10,
    ['fine'],
  ),
  rule(
    'consistency',
    'two_officers',
    '执法人员少于两人或无执法证号（行政处罚法第四十二条）',
    'Fewer than two certified officers (Art. 42)',
    10,
  ),
  rule(
    'consistency',
    'reviewer_not_officer',
    '法制审核人员为本案执法人员或未记录（行政处罚法第五十八条）',
    'Legal reviewer missing or an officer of the case (Art. 58)',
    10,
  ),

  // 法律依据准确性.
  rule(
    'legal_basis',
    'article_exists',
    '引用的法律条款不在法律依据库中',
    'Cited article not in the catalogue',
    10,
  ),
  rule(
    'legal_basis',
    'in_force',
    '引用的条款在违法行为发生时未生效或已失效',
    'Cited article not in force on the violation date',
    10,
  ),
  rule(
    'legal_basis',
    'fits_violation_type',
    '引用的条款与违法行为类型不符',
    'Cited article does not fit the violation type',
    5,
  ),
  rule(
    'legal_basis',
    'penalty_in_range',
    '处罚金额超出所引条款的幅度',
    'Penalty outside the range of the cited article',
    10,
  ),
];
