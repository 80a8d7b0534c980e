/**
 * The forms of the transport enforcement documents (交通运输行政执法文书式样) this system prints: the
 * document's name and the short code of its number (文书编号 = case number + code + sequence). The codes
 * of the kinds the case layer already numbers are those it uses; 催告书 and 强制执行申请书 are new.
 */
export const DOCUMENT_FORMS = {
  filing_approval: { name: '立案审批表', code: 'LA' },
  inquiry_record: { name: '询问笔录', code: 'XW' },
  evidence_list: { name: '证据清单', code: 'ZJ' },
  pre_penalty_notice: { name: '行政处罚告知书', code: 'GZ' },
  hearing_notice: { name: '听证通知书', code: 'TZ' },
  hearing_record: { name: '听证笔录', code: 'TB' },
  statement_record: { name: '陈述申辩笔录', code: 'CS' },
  legal_review_opinion: { name: '法制审核意见书', code: 'FS' },
  decision: { name: '行政处罚决定书', code: 'JD' },
  proof_of_service: { name: '送达回证', code: 'SD' },
  payment_record: { name: '罚没款收据（缴款记录）', code: 'JK' },
  closing_report: { name: '结案报告', code: 'JA' },
  home_authority_report: { name: '超限运输违法行为抄告函', code: 'CG' },
  /** 《公路安全保护条例》 Art. 66 count of a party registered elsewhere (《超限运输车辆行驶公路管理规定》 Art. 46) */
  home_authority_measure_report: { name: '违法超限运输情况抄告函', code: 'CJ' },
  /** 行政强制法 Art. 54: the written demand before applying to the court */
  execution_demand: { name: '催告书', code: 'CH' },
  /** 行政强制法 Art. 53, 55: the application to the people's court */
  court_application: { name: '强制执行申请书', code: 'QZ' },
  other: { name: '其他文书', code: 'QT' },
} as const satisfies Record<string, { name: string; code: string }>;

export type DocumentFormKind = keyof typeof DOCUMENT_FORMS;
export const DOCUMENT_FORM_KINDS = Object.keys(DOCUMENT_FORMS) as [DocumentFormKind, ...DocumentFormKind[]];
