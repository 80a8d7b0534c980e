import { newCaseDraft } from '@ecc/cases-domain';
import { renderCaseDocument, type DocumentFacts } from './case-document-templates';

function facts(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  const snapshot = newCaseDraft({
    id: 'c1',
    caseType: 'vehicle',
    createdAt: new Date('2025-03-03T02:00:00Z'),
    proposedPenalty: { kind: 'fine', amountYuan: 2000 },
  });
  snapshot.decision = {
    decidedAt: new Date('2025-03-10T02:00:00Z'),
    approvedBy: 'a1',
    penalty: { kind: 'fine', amountYuan: 2000 },
  };
  return {
    caseNumber: '汨交罚〔2025〕第0007号',
    authority: '汨罗市交通运输局',
    timeZone: 'Asia/Shanghai',
    now: new Date('2025-03-10T02:00:00Z'),
    party: {
      name: '李四',
      kind: 'person',
      idNumber: '430681198001011234',
      address: '汨罗市某路1号',
      phone: null,
    },
    enterprise: '汨罗市某运输有限公司',
    plate: '湘F12345',
    vehicleType: '重型半挂牵引车',
    transportCertificateNo: '430681000001',
    homeAuthority: '岳阳市道路运输事务中心',
    violationAt: new Date('2025-03-01T01:30:00Z'),
    place: '汨罗S308检测点 S308 K12+300',
    grossMassKg: 56000,
    limitKg: 49000,
    toleranceKg: 2800,
    excessKg: 4200,
    axleCount: 6,
    facts: '',
    officers: [
      { name: '王伟', certificateNo: 'HN-0001' },
      { name: '赵强', certificateNo: 'HN-0002' },
    ],
    evidence: ['不停车检测数据', '询问笔录（2025-03-04）：驾驶员承认超载'],
    investigations: [],
    basis: [
      {
        title: '《超限运输车辆行驶公路管理规定》',
        article: '第四十三条第一款第（二）项',
        text: '……每超1000千克罚款500元……',
      },
    ],
    snapshot,
    ...overrides,
  };
}

describe('case document templates', () => {
  it('writes the decision with everything Art. 59 asks: party, facts, evidence, basis, penalty, payment, remedies, authority, date', () => {
    const { title, text } = renderCaseDocument('decision', facts());
    expect(title).toBe('行政处罚决定书');
    for (const part of [
      '汨交罚〔2025〕第0007号',
      '当事人：李四（身份证号：430681198001011234',
      '2025/03/01 09:30',
      '超限4200千克',
      '询问笔录（2025-03-04）',
      '《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项',
      '罚款人民币2000元',
      '十五日内',
      '百分之三加处罚款',
      '六十日内',
      '六个月内',
      '汨罗市交通运输局',
      '2025年3月10日',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('says so when the catalogue had no provision in force, rather than citing nothing silently', () => {
    expect(renderCaseDocument('decision', facts({ basis: [] })).text).toContain(
      '无在违法行为发生之日有效的条文',
    );
  });

  it('renders the same content as HTML, escaped', () => {
    const { html } = renderCaseDocument('statement_record', facts(), {
      title: '陈述',
      content: '<script>x</script>',
    });
    expect(html).toContain('<h1>陈述申辩笔录</h1>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('reports to the home authority the plate, vehicle type, certificate, enterprise and decision (超限规定 Art. 44)', () => {
    const { text } = renderCaseDocument('home_authority_report', facts());
    const withParties = facts({
      driver: { name: '周五', idNumber: '430681199202021234', qualificationNo: 'QC-7788' },
      sourceUnit: { name: '汨罗某混凝土有限公司', loadingSlipNo: 'ZD-0099' },
    });
    const full = renderCaseDocument('home_authority_report', withParties).text;
    expect(full).toContain('周五（从业资格证号 QC-7788）');
    expect(full).toContain('汨罗某混凝土有限公司（装载单号 ZD-0099）');
    for (const part of [
      '岳阳市道路运输事务中心',
      '湘F12345',
      '重型半挂牵引车',
      '430681000001',
      '汨罗市某运输有限公司',
      '第0007号',
    ]) {
      expect(text).toContain(part);
    }
  });
});
