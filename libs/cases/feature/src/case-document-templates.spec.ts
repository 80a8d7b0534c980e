import { newCaseDraft } from '@ecc/cases-domain';
import { LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import {
  CASE_DOCUMENT_TEMPLATES,
  penaltyText,
  renderCaseDocument,
  type DocumentFacts,
} from './case-document-templates';

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
        code: 'ORR-43-1-2',
        role: 'penalty',
        title: '《超限运输车辆行驶公路管理规定》',
        article: '第四十三条第一款第（二）项',
        text: '……每超1000千克罚款500元……',
      },
      {
        code: 'HSR-33',
        role: 'definition',
        title: '《公路安全保护条例》',
        article: '第三十三条第一款',
        text: '超过公路……限载……标准的车辆，不得在公路……行驶',
      },
    ],
    remedies: { reconsiderationBody: '汨罗市人民政府', court: '汨罗市人民法院' },
    performance: { surrenderDays: 15, suspensionDays: 30 },
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

  // 超限规定 Art. 43(1)(二), 43(2): a weight warning and a size fine are imposed together.
  it('prints a warning imposed with the fine as 警告，并处罚款', () => {
    expect(penaltyText({ kind: 'fine', amountYuan: 500, warning: true })).toBe('警告，并处罚款人民币500元');
    expect(penaltyText({ kind: 'fine', amountYuan: 500 })).toBe('罚款人民币500元');
    const f = facts();
    f.snapshot.decision!.penalty = { kind: 'fine', amountYuan: 500, warning: true };
    expect(renderCaseDocument('decision', f).text).toContain('本机关决定：警告，并处罚款人民币500元。');
  });

  // "Every cited article exists in the catalogue" (案卷评查) can only see what the catalogue has: every article a
  // document prints in running text — 《act》第N条[第M款], and those listed after it with 、 — is a catalogue entry's.
  // 行政处罚法 Art. 55: a record names whose statement it is — here the driver, not the owner who is the party.
  it('names the person questioned in the 询问笔录, apart from the party', () => {
    const { text } = renderCaseDocument('inquiry_record', facts(), {
      summary: '驾驶人承认超限',
      intervieweeName: '龚昇',
      intervieweeIdNumber: '430681198001011236',
      intervieweeRelation: '驾驶人',
    });
    expect(text).toContain('被询问人：龚昇（身份证号：430681198001011236；与本案关系：驾驶人）');
    const foreign = renderCaseDocument('inquiry_record', facts(), {
      summary: '驾驶人承认超限',
      intervieweeName: 'John SMITH',
      intervieweeId: '护照号码：E12345678',
      intervieweeRelation: '驾驶人',
    }).text;
    expect(foreign).toContain('被询问人：John SMITH（护照号码：E12345678；与本案关系：驾驶人）');
    expect(text).toContain('当事人：李四');
  });

  it('gives the filing of a sub-case its own 案由 and 案件来源: 一超四罚 arising from the parent case', () => {
    const vehicle = renderCaseDocument('filing_approval', facts()).text;
    expect(vehicle).toContain('案由：车辆湘F12345涉嫌违法超限运输');
    expect(vehicle).toContain('案件来源：公路超限不停车检测（');
    const driver = facts({ plate: '—', parent: { caseNumber: '汨交罚〔2025〕第0003号', plate: '湘F12345' } });
    driver.snapshot = { ...driver.snapshot, caseType: 'driver' };
    const text = renderCaseDocument('filing_approval', driver).text;
    expect(text).toContain('案由：货运车辆驾驶人一年内违法超限运输超过三次（车辆湘F12345）');
    expect(text).toContain(
      '案件来源：一超四罚：本机关查处车辆湘F12345违法超限运输案件（汨交罚〔2025〕第0003号）中发现',
    );
    expect(text).not.toContain('案件来源：公路超限不停车检测');
    const unit = facts({ parent: { caseNumber: 'P', plate: null } });
    unit.snapshot = { ...unit.snapshot, caseType: 'source_unit' };
    unit.basis = [{ code: 'HSR-68', title: '《公路安全保护条例》', article: '第六十八条', text: '…' }];
    expect(renderCaseDocument('filing_approval', unit).text).toContain(
      '案由：货运源头单位涉嫌指使、强令车辆驾驶人超限运输货物',
    );
  });

  it('names the document a 送达回证 proves served: the decision by default, else the one the action served', () => {
    expect(renderCaseDocument('proof_of_service', facts()).text).toContain(
      '送达文书：行政处罚决定书（汨交罚〔2025〕第0007号）',
    );
    const { text } = renderCaseDocument('proof_of_service', facts(), {
      documentTitle: '催告书',
      method: 'post',
      signedBy: '李某',
    });
    expect(text).toContain('送达文书：催告书（汨交罚〔2025〕第0007号）');
    expect(text).toContain('送达方式：邮寄送达');
  });

  it('prints no citation the legal-basis catalogue lacks, in any document', () => {
    const missing: string[] = [];
    const extra = {
      hearingRight: 'true',
      method: 'announcement',
      effectiveAt: '2025-04-10T00:00:00Z',
      outcome: 'passed',
    };
    for (const kind of Object.keys(CASE_DOCUMENT_TEMPLATES) as (keyof typeof CASE_DOCUMENT_TEMPLATES)[]) {
      const { text } = renderCaseDocument(kind, facts(), extra);
      for (const m of text.matchAll(/(《[^》]+》)([^，。；（）：\n《]*)/g)) {
        const [, title, rest] = m;
        for (const [token] of rest!.matchAll(
          /第[一二三四五六七八九十百零]+条(?:第[一二三四五六七八九十]+款)?/g,
        )) {
          const found = LEGAL_BASIS_CATALOGUE.some(
            (e) => e.title === title && (e.article.startsWith(token) || token.startsWith(e.article)),
          );
          if (!found) missing.push(`${kind}: ${title}${token}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('cites the provision violated apart from the penalty basis (Art. 59(2)), in the notice and the decision', () => {
    for (const kind of ['pre_penalty_notice', 'decision'] as const) {
      const { text } = renderCaseDocument(kind, facts());
      expect(text).toContain(
        '违反了《公路安全保护条例》第三十三条第一款的规定，依据《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项的规定',
      );
      const violated = text.indexOf('违反的规定：');
      const basis = text.indexOf('处罚依据：');
      expect(violated).toBeGreaterThan(0);
      expect(basis).toBeGreaterThan(violated);
      expect(text.slice(violated, basis)).toContain('第三十三条第一款：');
      expect(text.slice(violated, basis)).not.toContain('第四十三条');
      expect(text.slice(basis)).toContain('第四十三条第一款第（二）项：');
    }
    // Without a provision violated in the catalogue, the penalty provision states the conduct itself.
    const art66 = facts({
      basis: [
        { role: 'penalty', title: '《公路安全保护条例》', article: '第六十六条（驾驶人）', text: '……' },
      ],
    });
    expect(renderCaseDocument('decision', art66).text).toContain(
      '违反了《公路安全保护条例》第六十六条（驾驶人）的规定，依据《公路安全保护条例》第六十六条（驾驶人）的规定',
    );
  });

  it('names the reconsideration body and the court of the policy, with the periods (Art. 59(5))', () => {
    const { text } = renderCaseDocument(
      'decision',
      facts({ remedies: { reconsiderationBody: '岳阳市人民政府', court: '岳阳市岳阳楼区人民法院' } }),
    );
    expect(text).toContain('六十日内向岳阳市人民政府申请行政复议');
    expect(text).toContain('六个月内向岳阳市岳阳楼区人民法院提起行政诉讼');
    expect(text).toContain('不停止执行');
  });

  it.each([
    ['warning', { kind: 'warning' }, ['警告自本决定书送达之日起执行完毕']],
    ['order_stop_transport', { kind: 'order_stop_transport' }, ['自收到本决定书之日起停止从事营业性运输']],
    ['business_suspension', { kind: 'business_suspension' }, ['停业整顿30日', '检查整改到位后恢复经营']],
    [
      'licence_revocation',
      { kind: 'licence_revocation' },
      ['《道路运输经营许可证》', '15日内将许可证件交回'],
    ],
    ['certificate_revocation', { kind: 'certificate_revocation' }, ['道路运输证 430681000001', '15日内交回']],
  ] as const)('states how and by when a %s is performed (Art. 59(4))', (_kind, penalty, parts) => {
    const f = facts();
    f.snapshot.decision = { ...f.snapshot.decision!, penalty };
    const { text } = renderCaseDocument('decision', f);
    expect(text).toContain('履行方式和期限：');
    for (const part of parts) expect(text).toContain(part);
    expect(text).not.toContain('缴纳罚款');
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

  // 超限规定 Art. 46 gives the Art. 66 measures to the road transport authority and sets the counting cycle; it
  // says nothing of reporting a stop-transport order to the issuer of the 从业资格证: the decision cites no article.
  it('states the report of a stop-transport order without citing 超限规定 Art. 46', () => {
    const f = facts();
    f.snapshot.decision!.penalty = { kind: 'order_stop_transport' };
    const { text } = renderCaseDocument('decision', f);
    expect(text).toContain('本机关将本决定抄告其从业资格证发证机关。');
    expect(text).not.toContain('第四十六条');
  });

  it('reports to the home authority the plate, vehicle type, certificate, enterprise and decision (超限规定 Art. 44)', () => {
    const { text } = renderCaseDocument('home_authority_report', facts());
    const withParties = facts({
      driver: { name: '周五', idNumber: '430681199202021234', qualificationNo: 'QC-7788' },
      sourceUnit: { name: '汨罗某混凝土有限公司', loadingSlipNo: 'ZD-0099' },
    });
    const full = renderCaseDocument('home_authority_report', withParties).text;
    expect(full).toContain('周五（从业资格证号 QC-7788）');
    // Art. 44(二): the driver's enterprise too, when the investigation found it.
    const employed = facts({
      driver: {
        name: '周五',
        idNumber: '430681199202021234',
        qualificationNo: 'QC-7788',
        employer: '汨罗顺达物流有限公司',
      },
    });
    expect(renderCaseDocument('home_authority_report', employed).text).toContain(
      '驾驶人：周五（从业资格证号 QC-7788；所属企业：汨罗顺达物流有限公司）',
    );
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
