import { DomainError } from '@ecc/shared-kernel';
import { printableFromCaseDocument, type StoredCaseDocument } from './case-document-mapping';
import type { DocumentBlock } from './printable-document';

const AUTHORITY = '汨罗市交通运输局';
const CASE = '汨交罚〔2024〕第0001号';
const PARTY = '当事人：欧阳喆（身份证号：430681198804120036；地址：湖南省汨罗市归义镇建设路18号）';

/** A stored version as the case layer writes it: the title, a blank line, the template's lines. */
const stored = (kind: string, title: string, code: string, lines: string[]): StoredCaseDocument => ({
  kind,
  title,
  text: [title, '', ...lines].join('\n'),
  documentNumber: `${CASE}-${code}-01`,
  version: 2,
  createdAt: '2024-06-07T02:00:00.000Z',
  authority: AUTHORITY,
});

const textOf = (blocks: DocumentBlock[]): string => JSON.stringify(blocks);

describe('printable model of a stored case document', () => {
  it('lays a form out as labelled cells, one row per line, then the rows and lines signed by hand', () => {
    const doc = printableFromCaseDocument(
      stored('proof_of_service', '送达回证', 'SD', [
        `送达文书：行政处罚决定书（${CASE}）`,
        '受送达人：欧阳喆',
        '送达方式：直接送达',
        '送达时间：2024/06/08 10:15',
        '执法人员：李明（执法证号 43060021001）、王芳（执法证号 43060021002）',
      ]),
    );
    expect(doc).toMatchObject({
      kind: 'proof_of_service',
      name: '送达回证',
      authority: AUTHORITY,
      number: { caseNumber: CASE, code: 'SD', sequence: 1 },
      version: 2,
      createdAt: '2024-06-07T02:00:00.000Z',
    });
    expect(doc.blocks).toHaveLength(1);
    const fields = doc.blocks[0]!;
    if (fields.type !== 'fields') throw new Error(fields.type);
    expect(fields.rows.map((r) => r.cells.map((c) => c.label))).toEqual([
      ['送达文书'],
      ['受送达人'],
      ['送达方式'],
      ['送达时间'],
      ['执法人员'],
      ['受送达人签名或盖章'],
      ['代收人及代收理由'],
      ['送达人签名'],
      ['备注'],
    ]);
    expect(fields.rows[1]!.cells[0]!.value).toBe('欧阳喆');
    expect(fields.rows[5]!.cells[0]).toMatchObject({ value: '', minLines: 3 });
  });

  it('keeps numbered lines of a form as a list and gives a record its page note and signatures', () => {
    const doc = printableFromCaseDocument(
      stored('inquiry_record', '询问笔录', 'XW', [
        `案号：${CASE}`,
        '询问时间：2024/05/15 11:30',
        PARTY,
        '询问内容：驾驶人称装载碎石，运往岳阳。',
      ]),
    );
    expect(doc.pageNote).toBe('被询问人签名：');
    expect(doc.blocks.map((b) => b.type)).toEqual(['fields', 'signatures']);
    expect(textOf(doc.blocks)).toContain('欧阳喆（身份证号：430681198804120036');

    const list = printableFromCaseDocument(
      stored('evidence_list', '证据清单', 'ZJ', [`案号：${CASE}`, '1. 不停车检测数据', '2. 号牌照片']),
    );
    expect(list.blocks.map((b) => b.type)).toEqual(['fields', 'list', 'signatures']);
    expect(list.blocks[1]).toEqual({ type: 'list', items: ['不停车检测数据', '号牌照片'] });
  });

  it('sets a letter as text: party at the margin, headings, a list, and the seal with its date', () => {
    const doc = printableFromCaseDocument(
      stored('decision', '行政处罚决定书', 'JD', [
        `${AUTHORITY}行政处罚决定书\u3000${CASE}`,
        PARTY,
        '违法事实：2024年5月12日，车辆湘F12345经检测超限9187千克。',
        '证据：',
        '1. 不停车检测数据',
        '2. 号牌照片',
        '法律依据：',
        '《公路安全保护条例》第六十四条：……',
        '处罚决定：罚款人民币4500元。',
        `${AUTHORITY}（印章）\u30002024年6月7日`,
      ]),
    );
    expect(doc.kind).toBe('decision');
    expect(doc.blocks).toEqual([
      { type: 'paragraph', text: PARTY, indent: false },
      { type: 'paragraph', text: '违法事实：2024年5月12日，车辆湘F12345经检测超限9187千克。', indent: false },
      { type: 'heading', text: '证据' },
      { type: 'list', items: ['不停车检测数据', '号牌照片'] },
      { type: 'heading', text: '法律依据' },
      { type: 'paragraph', text: '《公路安全保护条例》第六十四条：……', indent: true },
      { type: 'paragraph', text: '处罚决定：罚款人民币4500元。', indent: false },
      { type: 'seal', authority: AUTHORITY, date: '2024年6月7日' },
    ]);
  });

  it('reads the addressee of a letter from its first line', () => {
    const doc = printableFromCaseDocument(
      stored('home_authority_report', '超限运输违法行为抄告函', 'CG', [
        '岳阳市道路运输事务中心：',
        '根据《超限运输车辆行驶公路管理规定》第四十四条，现将车辆违法超限运输情况抄告如下：',
        `${AUTHORITY}\u30002024年6月7日`,
      ]),
    );
    expect(doc.addressee).toBe('岳阳市道路运输事务中心');
    expect(doc.blocks.at(-1)).toEqual({ type: 'seal', authority: AUTHORITY, date: '2024年6月7日' });
  });

  it('prints the report of an Art. 66 count as a letter: addressee, the counted cases as a list, the seal', () => {
    const doc = printableFromCaseDocument(
      stored('home_authority_measure_report', '违法超限运输情况抄告函', 'CJ', [
        '岳阳市道路运输事务中心：',
        '经查，道路运输企业岳阳市己运输有限公司（统一社会信用代码：91430602MA4L00006X）一年内违法超限运输的货运车辆2辆，超过本单位货运车辆总数10辆的10%，已达到《公路安全保护条例》第六十六条规定的责令停业整顿的情形。',
        '计数规则：滚动12个月（本局执法政策）。',
        '计入的违法超限运输案件：',
        `1. ${CASE}，2024-05-01，湘F10001，2024年5月20日作出处罚决定（${CASE}-JD-01，罚款人民币2000元）`,
        '2. 本案（汨交罚〔2024〕第0002号，2024-06-01，湘F10002），尚未作出处罚决定',
        `${AUTHORITY}\u30002024年6月7日`,
      ]),
    );
    expect(doc).toMatchObject({
      kind: 'home_authority_measure_report',
      name: '违法超限运输情况抄告函',
      number: { caseNumber: CASE, code: 'CJ', sequence: 1 },
      addressee: '岳阳市道路运输事务中心',
    });
    expect(doc.blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'heading', 'list', 'seal']);
    expect(doc.blocks[3]).toEqual({
      type: 'list',
      items: [
        `${CASE}，2024-05-01，湘F10001，2024年5月20日作出处罚决定（${CASE}-JD-01，罚款人民币2000元）`,
        '本案（汨交罚〔2024〕第0002号，2024-06-01，湘F10002），尚未作出处罚决定',
      ],
    });
  });

  it('prints a kind it does not know as the text blocks of its template, under its own name', () => {
    const doc = printableFromCaseDocument(
      stored('correction_order', '责令改正通知书', 'GZ', [
        PARTY,
        '你单位于2024年5月12日为车辆湘F12345违法超限装载货物。',
        '责令你单位于2024年5月27日前改正。',
        `${AUTHORITY}\u30002024年6月7日`,
      ]),
    );
    expect(doc.kind).toBe('other');
    expect(doc.name).toBe('责令改正通知书');
    expect(doc.number.code).toBe('GZ');
    expect(doc.blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph', 'seal']);
    expect(textOf(doc.blocks)).toContain('责令你单位于2024年5月27日前改正。');
  });

  it('refuses a document without a printable number, naming it', () => {
    expect(() =>
      printableFromCaseDocument({
        ...stored('decision', '行政处罚决定书', 'JD', ['x']),
        documentNumber: 'draft',
      }),
    ).toThrow(expect.objectContaining({ code: 'document_not_printable' }) as DomainError);
  });
});
