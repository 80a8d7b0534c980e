import {
  DOCUMENT_FORMS,
  type DocumentFormKind,
  type FieldCell,
  type PrintableDocument,
} from '@ecc/documents-domain';

/**
 * Filled-in documents of one made-up overload case (every name, number and address is invented), one per
 * form this lib prints. The tests, the bench and the README's picture render them; phase 2's mapping from
 * case facts can compare its output with them.
 */
export const SAMPLE_CASE = {
  authority: '汨罗市交通运输局',
  caseNumber: '汨交罚〔2024〕第0001号',
  plate: '湘F12345',
  party: '欧阳喆',
  partyId: '430681198804120036',
  enterprise: '汨罗市顺达物流有限公司',
  fineYuan: 4500,
  grossKg: 61250,
  excessKg: 9187,
} as const;

const C = SAMPLE_CASE;
const facts =
  `2024年5月12日10时21分，${C.party}所有的车辆${C.plate}（六轴汽车列车）途经G107线汨罗段K1523+300不停车检测点，` +
  `经该点经检定合格的动态称重设备检测，车货总质量61,250千克，超过《超限运输车辆行驶公路管理规定》第三条规定的限值49,000千克，` +
  `扣除检测误差3,063千克后超限9,187千克，属违法超限运输。`;
const violated = '《中华人民共和国公路法》第五十条第一款、《公路安全保护条例》第三十三条第一款';
const penaltyBasis =
  '《公路安全保护条例》第六十四条、《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项';
const officers = '李明（执法证号 43060021001）、王芳（执法证号 43060021002）';
const party = {
  kind: 'person' as const,
  name: C.party,
  idNumber: C.partyId,
  address: '湖南省汨罗市归义镇建设路18号',
  phone: '13800000000',
};
const evidence = [
  ['不停车检测数据记录（检测单号 WIM-20240512-102133）', '检测点系统导出', '1'],
  ['车辆前、后号牌及侧面轴型照片', '检测点抓拍', '3'],
  ['动态称重设备检定证书（证书号 湘计检〔2024〕W0315）', '汨罗市计量检定所', '2'],
  ['机动车行驶证、道路运输证复印件', '当事人提供', '2'],
  [`驾驶人龚昇询问笔录`, '执法人员制作', '3'],
  ['机动车驾驶证、从业资格证复印件', '当事人提供', '2'],
];

function base(kind: DocumentFormKind, version = 1, createdAt = '2024-05-20T02:00:00.000Z') {
  const form = DOCUMENT_FORMS[kind];
  return {
    kind,
    authority: C.authority,
    name: form.name,
    number: { caseNumber: C.caseNumber, code: form.code, sequence: 1 },
    version,
    createdAt,
  };
}

/** A letter to the party (告知书, 通知书, 催告书): paragraphs, then the authority's seal and date. */
function letter(
  kind: DocumentFormKind,
  createdAt: string,
  paragraphs: string[],
  sealDate: string,
): PrintableDocument {
  return {
    ...base(kind, 1, createdAt),
    party,
    partyLayout: 'none',
    addressee: C.party,
    blocks: [
      ...paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
      { type: 'seal', authority: C.authority, date: sealDate },
    ],
  };
}

/** A form (表格式) with the party's cells on top and the case's cause as its first row. */
function form(kind: DocumentFormKind, createdAt: string, rows: FieldCell[][]): PrintableDocument {
  return {
    ...base(kind, 1, createdAt),
    party,
    partyLayout: 'fields',
    blocks: [
      {
        type: 'fields',
        rows: [[{ label: '案由', value: `车辆${C.plate}违法超限运输` }], ...rows].map((cells) => ({ cells })),
      },
    ],
  };
}

/** A 询问笔录 of `entries` questions and answers (a long one runs over many pages). */
export function sampleInquiryRecord(entries = 12): PrintableDocument {
  const qa = [
    [
      '问',
      '我们是汨罗市交通运输局的执法人员，这是我们的执法证件，现依法向你询问有关情况，你应当如实回答，你听清楚了吗？',
    ],
    ['答', '听清楚了。'],
    ['问', `2024年5月12日10时21分，车辆${C.plate}途经G107线汨罗段不停车检测点时是谁在驾驶？`],
    ['答', '是我驾驶的，我叫龚昇，是这台车的驾驶员，持有A2驾驶证和道路货物运输从业资格证。'],
    ['问', '当时车上装载的是什么货物？从哪里装的货，运往哪里？'],
    ['答', '装的是碎石，在汨罗市新市镇的石场装的货，运往岳阳市的一个工地，装载单号是ZC20240512-0087。'],
    ['问', '你知道这台车的核定载质量和公路上规定的车货总质量限值吗？'],
    ['答', '知道，六轴车总质量不能超过49吨，那天装得多了一些，我以为扣除误差后不会超。'],
  ];
  const dialogue = Array.from({ length: entries }, (_, i) => {
    const [speaker, text] = qa[i % qa.length] as [string, string];
    return { speaker, text: i < qa.length ? text : `（续问第${Math.floor(i / 2) + 1}项）${text}` };
  });
  return {
    ...base('inquiry_record', 1, '2024-05-15T03:30:00.000Z'),
    partyLayout: 'none',
    pageNote: '被询问人签名：',
    blocks: [
      {
        type: 'fields',
        rows: [
          {
            cells: [
              { label: '询问时间', value: '2024年5月15日11时30分至12时10分', span: 2 },
              { label: '询问地点', value: '汨罗市交通运输综合行政执法大队', span: 1 },
            ],
          },
          {
            cells: [
              { label: '询问人', value: '李明、王芳' },
              { label: '记录人', value: '王芳' },
            ],
          },
          {
            cells: [
              { label: '被询问人', value: '龚昇（男，36岁）' },
              { label: '公民身份号码', value: '430681198801052213' },
            ],
          },
          {
            cells: [
              { label: '工作单位', value: C.enterprise },
              { label: '联系电话', value: '13900000000' },
            ],
          },
        ],
      },
      { type: 'dialogue', entries: dialogue },
      { type: 'paragraph', text: '以上笔录我已看过，与我说的一致。', indent: true },
      {
        type: 'signatures',
        lines: [
          { role: '被询问人签名' },
          { role: '询问人签名', name: '李明\u3000王芳' },
          { role: '记录人签名', name: '王芳' },
        ],
      },
    ],
  };
}

export function sampleDocuments(): Record<string, PrintableDocument> {
  return {
    filing_approval: {
      ...base('filing_approval', 1, '2024-05-14T01:00:00.000Z'),
      party,
      partyLayout: 'fields',
      blocks: [
        {
          type: 'fields',
          rows: [
            {
              cells: [
                { label: '案件来源', value: '公路超限不停车检测' },
                { label: '受案时间', value: '2024年5月13日' },
              ],
            },
            { cells: [{ label: '案由', value: `车辆${C.plate}涉嫌违法超限运输` }] },
            { cells: [{ label: '简要案情', value: facts, minLines: 4 }] },
            { cells: [{ label: '执法人员', value: officers }] },
            {
              cells: [
                {
                  label: '承办人意见',
                  value: `当事人涉嫌违反${violated}的规定，建议立案调查。\n执法人员签名：李明\u3000王芳\u3000\u30002024年5月13日`,
                  minLines: 3,
                },
              ],
            },
            {
              cells: [
                {
                  label: '负责人审批意见',
                  value: '同意立案。\n负责人签名：刘建国\u3000\u30002024年5月14日',
                  minLines: 3,
                },
              ],
            },
          ],
        },
        { type: 'remarks', text: '备注：本表一式一份，附卷。' },
      ],
    },
    inquiry_record: sampleInquiryRecord(),
    evidence_list: {
      ...base('evidence_list', 1, '2024-05-16T02:00:00.000Z'),
      party,
      blocks: [
        {
          type: 'table',
          columns: [
            { title: '序号', width: 8 },
            { title: '证据名称', width: 52 },
            { title: '来源', width: 25 },
            { title: '页数', width: 10 },
          ],
          rows: evidence.map((e, i) => [String(i + 1), ...e]),
        },
        {
          type: 'signatures',
          lines: [
            { role: '当事人签名', date: undefined },
            { role: '执法人员签名', name: '李明\u3000王芳', date: '2024年5月16日' },
          ],
        },
      ],
    },
    pre_penalty_notice: letter(
      'pre_penalty_notice',
      '2024-05-17T02:00:00.000Z',
      [
        `经查，${facts}`,
        `你的上述行为违反了${violated}的规定。依据${penaltyBasis}的规定，本机关拟对你作出如下行政处罚：罚款人民币肆仟伍佰元整（¥4,500.00）。`,
        '根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你有权进行陈述和申辩，请于收到本告知书之日起3个工作日内提出。根据该法第六十三条、第六十四条的规定，你有权要求听证，请于收到本告知书之日起5个工作日内提出，逾期视为放弃上述权利。',
        '联系人：李明\u3000联系电话：0730-5220000\u3000地址：汨罗市交通运输综合行政执法大队',
      ],
      '2024年5月17日',
    ),
    hearing_notice: letter(
      'hearing_notice',
      '2024-05-22T02:00:00.000Z',
      [
        `你要求听证的车辆${C.plate}违法超限运输一案（${C.caseNumber}），拟处罚款人民币4,500元。根据《中华人民共和国行政处罚法》第六十四条的规定，本机关定于2024年6月3日9时30分在汨罗市交通运输局三楼听证室举行听证。`,
        '听证主持人：赵静（非本案调查人员）；书记员：周琳。',
        '你可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。',
      ],
      '2024年5月22日',
    ),
    legal_review_opinion: form('legal_review_opinion', '2024-06-05T02:00:00.000Z', [
      [{ label: '承办机构', value: '汨罗市交通运输综合行政执法大队' }],
      [{ label: '拟处理意见', value: '罚款人民币4,500元' }],
      [
        {
          label: '审核意见',
          value:
            '一、事实认定：违法事实清楚，检测数据、号牌照片与行驶证信息一致，证据确实充分。\n二、证据：检测设备在检定有效期内，证据合法。\n三、程序：立案、调查、告知、听证程序合法，执法人员二人以上持证。\n四、法律适用与裁量：适用法律正确，罚款数额在法定幅度内且符合裁量基准。\n同意按拟处理意见作出行政处罚决定。',
          minLines: 6,
        },
      ],
      [
        { label: '审核人员', value: '陈静（法律职业资格证号 A20184306810012）' },
        { label: '审核日期', value: '2024年6月5日' },
      ],
    ]),
    decision: {
      ...base('decision', 1, '2024-06-07T02:00:00.000Z'),
      party,
      blocks: [
        { type: 'paragraph', text: `所属道路运输企业：${C.enterprise}`, indent: false },
        { type: 'heading', text: '一、违法事实和证据' },
        { type: 'paragraph', text: facts },
        { type: 'paragraph', text: '以上事实有下列证据为证：' },
        { type: 'list', items: evidence.map((e) => e[0] as string) },
        { type: 'heading', text: '二、违反的规定和处罚依据' },
        {
          type: 'paragraph',
          text: `你的上述行为违反了${violated}的规定。依据${penaltyBasis}的规定，本机关于2024年5月17日告知你拟作出的行政处罚及你依法享有的权利，你在法定期限内未提出陈述、申辩，亦未要求听证。`,
        },
        { type: 'heading', text: '三、处罚决定' },
        { type: 'paragraph', text: '决定给予罚款人民币肆仟伍佰元整（¥4,500.00）的行政处罚。' },
        { type: 'heading', text: '四、履行方式和期限' },
        {
          type: 'paragraph',
          text: '请自收到本决定书之日起十五日内，持本决定书到中国农业银行汨罗市支行或者通过湖南省非税收入电子缴款系统缴纳罚款。到期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。',
        },
        { type: 'heading', text: '五、救济途径' },
        {
          type: 'paragraph',
          text: '如不服本决定，可以在收到本决定书之日起六十日内向汨罗市人民政府申请行政复议，或者在六个月内依法向汨罗市人民法院提起行政诉讼。申请行政复议或者提起行政诉讼期间，本决定不停止执行。',
        },
        { type: 'seal', authority: C.authority, date: '2024年6月7日' },
        { type: 'remarks', text: '本文书一式两份：一份送达当事人，一份附卷。' },
      ],
    },
    proof_of_service: {
      ...base('proof_of_service', 1, '2024-06-08T02:00:00.000Z'),
      party,
      partyLayout: 'none',
      blocks: [
        {
          type: 'fields',
          labelWidth: 6,
          rows: [
            { cells: [{ label: '送达文书名称及文号', value: `行政处罚决定书（${C.caseNumber}-JD-01）` }] },
            { cells: [{ label: '受送达人', value: C.party }] },
            { cells: [{ label: '送达地点', value: '湖南省汨罗市归义镇建设路18号' }] },
            {
              cells: [
                { label: '送达方式', value: '直接送达' },
                { label: '送达时间', value: '2024年6月8日10时15分' },
              ],
            },
            { cells: [{ label: '受送达人签名或盖章', value: '', minLines: 3 }] },
            { cells: [{ label: '代收人及代收理由', value: '', minLines: 2 }] },
            { cells: [{ label: '送达人签名', value: '李明\u3000王芳', minLines: 2 }] },
            { cells: [{ label: '备注', value: '', minLines: 2 }] },
          ],
        },
      ],
    },
    closing_report: form('closing_report', '2024-06-20T02:00:00.000Z', [
      [
        { label: '立案日期', value: '2024年5月14日' },
        { label: '决定日期', value: '2024年6月7日' },
      ],
      [{ label: '处罚决定', value: `${C.caseNumber}：罚款人民币4,500元` }],
      [
        {
          label: '执行情况',
          value: '当事人于2024年6月15日缴纳罚款4,500元（缴款书号 4306812024061500123），已全部履行。',
        },
      ],
      [
        {
          label: '承办人意见',
          value: '本案已执行完毕，建议结案。\n执法人员签名：李明\u3000王芳\u3000\u30002024年6月19日',
          minLines: 3,
        },
      ],
      [
        {
          label: '负责人意见',
          value: '同意结案。\n负责人签名：刘建国\u3000\u30002024年6月20日',
          minLines: 3,
        },
      ],
    ]),
    home_authority_report: {
      ...base('home_authority_report', 1, '2024-06-24T02:00:00.000Z'),
      party,
      partyLayout: 'none',
      addressee: '岳阳市道路运输事务中心',
      blocks: [
        {
          type: 'paragraph',
          text: '根据《超限运输车辆行驶公路管理规定》第四十四条的规定，现将你辖区车辆违法超限运输及处理情况抄告如下，请依法对相关道路运输企业、车辆和驾驶人予以处理。',
        },
        {
          type: 'fields',
          rows: [
            {
              cells: [
                { label: '车牌号码', value: C.plate },
                { label: '车辆类型', value: '重型半挂牵引车' },
              ],
            },
            {
              cells: [
                { label: '所属企业', value: C.enterprise },
                { label: '道路运输证号', value: '湘交运管岳字430600123456号' },
              ],
            },
            {
              cells: [
                { label: '驾驶人', value: '龚昇' },
                { label: '从业资格证号', value: '430681198801052213' },
              ],
            },
            { cells: [{ label: '货运源头单位', value: '汨罗市新市镇鑫源石场（装载单号 ZC20240512-0087）' }] },
            { cells: [{ label: '违法事实', value: facts }] },
            { cells: [{ label: '处理结果', value: `${C.caseNumber}：罚款人民币4,500元，已执行` }] },
          ],
        },
        { type: 'seal', authority: C.authority, date: '2024年6月24日' },
      ],
    },
    execution_demand: letter(
      'execution_demand',
      '2024-07-10T02:00:00.000Z',
      [
        `本机关于2024年6月7日对你作出${C.caseNumber}行政处罚决定书，决定给予罚款人民币4,500元的行政处罚，该决定书已于2024年6月8日送达。你在法定期限内未缴纳罚款，亦未申请行政复议或者提起行政诉讼。`,
        '根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你自收到本催告书之日起十日内履行下列义务：缴纳罚款人民币4,500元及加处罚款人民币4,500元，合计人民币9,000元。',
        '你有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。',
      ],
      '2024年7月10日',
    ),
    court_application: {
      ...base('court_application', 1, '2024-12-20T02:00:00.000Z'),
      party,
      partyLayout: 'lines',
      addressee: '汨罗市人民法院',
      blocks: [
        {
          type: 'paragraph',
          text: `申请人：${C.authority}\u3000地址：汨罗市站前路1号\u3000负责人：刘建国`,
          indent: false,
        },
        { type: 'heading', text: '申请事项' },
        {
          type: 'paragraph',
          text: '请求依法强制执行被申请人罚款人民币4,500元及加处罚款人民币4,500元，合计人民币9,000元。',
        },
        { type: 'heading', text: '事实和理由' },
        {
          type: 'paragraph',
          text: `${facts}本机关于2024年6月7日作出${C.caseNumber}行政处罚决定书并于次日送达。被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行。本机关于2024年7月10日送达催告书，催告期满仍未履行。根据《中华人民共和国行政强制法》第五十三条、第五十五条的规定，特申请强制执行。`,
        },
        {
          type: 'list',
          items: [
            '行政处罚决定书及送达回证',
            '催告书及送达回证',
            '被申请人财产状况说明',
            '申请人营业执照及负责人身份证明',
          ],
        },
        { type: 'seal', authority: C.authority, date: '2024年12月20日' },
      ],
    },
  };
}
