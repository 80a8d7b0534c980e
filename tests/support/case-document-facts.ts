import { newCaseDraft } from '@ecc/cases-domain';
import { DOCUMENT_CODES } from '@ecc/cases-data';
import { CASE_DOCUMENT_TEMPLATES, renderCaseDocument, type DocumentFacts } from '@ecc/cases-feature';
import type { StoredCaseDocument } from '@ecc/documents-domain';

/**
 * A case document of each kind as the case layer stores it, from its template and made-up facts: the
 * integration test prints them all, the PDF bench measures them.
 */
export const AUTHORITY = '汨罗市交通运输局';
export const CASE_NUMBER = '汨交罚〔2025〕第0007号';

/** The facts of one made-up case (every name and number invented), as the case layer reads them. */
export function facts(): DocumentFacts {
  const snapshot = newCaseDraft({
    id: 'c1',
    caseType: 'vehicle',
    createdAt: new Date('2025-03-03T02:00:00Z'),
    proposedPenalty: { kind: 'fine', amountYuan: 2100 },
  });
  snapshot.decision = {
    decidedAt: new Date('2025-03-10T02:00:00Z'),
    approvedBy: 'a1',
    penalty: { kind: 'fine', amountYuan: 2100 },
  };
  return {
    caseNumber: CASE_NUMBER,
    authority: AUTHORITY,
    timeZone: 'Asia/Shanghai',
    now: new Date('2025-03-10T02:00:00Z'),
    party: {
      name: '欧阳喆',
      kind: 'person',
      idNumber: '430681198804120036',
      address: '湖南省汨罗市归义镇建设路18号',
      phone: null,
    },
    enterprise: '汨罗市顺达物流有限公司',
    driver: { name: '龚昇', idNumber: '430681198801052213', qualificationNo: '4306812019000123' },
    sourceUnit: { name: '汨罗市新市石场', loadingSlipNo: 'ZC20250301-0087' },
    plate: '湘F12345',
    vehicleType: '重型半挂牵引车',
    transportCertificateNo: '430681000001',
    homeAuthority: '岳阳市道路运输事务中心',
    violationAt: new Date('2025-03-01T01:30:00Z'),
    place: '汨罗S308检测点 S308 K12+300',
    grossMassKg: 56250,
    limitKg: 49000,
    toleranceKg: 2813,
    excessKg: 4437,
    axleCount: 6,
    facts: '',
    officers: [
      { name: '李明', certificateNo: '43060021001' },
      { name: '王芳', certificateNo: '43060021002' },
    ],
    evidence: ['不停车检测数据（检测点 S308，车货总质量 56250 千克）', '车辆前号牌照片'],
    investigations: [],
    basis: [
      {
        title: '《超限运输车辆行驶公路管理规定》',
        article: '第四十三条第一款第（二）项',
        text: '……每超1000千克罚款500元，最高不得超过30000元',
      },
    ],
    remedies: { reconsiderationBody: '汨罗市人民政府', court: '汨罗市人民法院' },
    performance: { surrenderDays: 15, suspensionDays: 30 },
    snapshot,
  };
}

/** What each action adds to its document (the fields of its request). */
export const EXTRA: Record<string, Record<string, string>> = {
  inquiry_record: {
    at: '2025-03-04T03:30:00Z',
    location: '汨罗市交通运输综合行政执法大队',
    summary: '驾驶人称装载碎石',
  },
  hearing_notice: { hearingAt: '2025-03-20T01:00:00Z', location: '本局听证室', host: '陈静' },
  hearing_record: {
    heldAt: '2025-03-20T01:00:00Z',
    host: '陈静',
    participants: '欧阳喆',
    summary: '当事人无异议',
  },
  statement_record: { title: '陈述申辩', content: '当事人称不知道限值' },
  legal_review_opinion: { outcome: 'passed', opinions: '事实清楚', reviewer: '陈静', qualification: 'A2018' },
  proof_of_service: { method: 'direct', recipient: '当事人本人', servedAt: '2025-03-11T02:00:00Z' },
  payment_record: {
    amount: '2100',
    lateFee: '0',
    receiptNo: 'JK-20250312-0001',
    paidAt: '2025-03-12T02:00:00Z',
  },
  // written by the four penalties (homeAuthorityReportLines), given to the template as its lines
  home_authority_measure_report: {
    content: [
      '岳阳市道路运输事务中心：',
      '经查，道路运输企业岳阳市己运输有限公司（统一社会信用代码：91430602MA4L00006X）一年内违法超限运输的货运车辆2辆，超过本单位货运车辆总数10辆的10%，已达到《公路安全保护条例》第六十六条规定的责令停业整顿的情形。',
      '计入的违法超限运输案件：',
      '1. 汨交罚〔2025〕第0003号，2025-02-01，湘F10001，2025年2月20日作出处罚决定（汨交罚〔2025〕第0003号-JD-01，罚款人民币2000元）',
      `2. 本案（${CASE_NUMBER}，2025-03-01，湘F12345），尚未作出处罚决定`,
      `${AUTHORITY}\u30002025年3月10日`,
    ].join('\n'),
  },
  other: { content: '其他材料：欧阳喆提交的情况说明' },
};

/** The stored version of a template's document (the case layer's text, its number, its date). */
export function storedFromTemplate(
  kind: string,
  sequence = 1,
  createdAt = '2025-03-10T02:00:00.000Z',
): StoredCaseDocument {
  const content = renderCaseDocument(
    kind as keyof typeof CASE_DOCUMENT_TEMPLATES,
    facts(),
    EXTRA[kind] ?? {},
  );
  const code = DOCUMENT_CODES[kind as keyof typeof DOCUMENT_CODES] ?? 'QT';
  return {
    kind,
    title: content.title,
    text: content.text,
    documentNumber: `${CASE_NUMBER}-${code}-${String(sequence).padStart(2, '0')}`,
    version: 1,
    createdAt,
    authority: AUTHORITY,
  };
}
