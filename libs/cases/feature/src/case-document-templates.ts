import type { CaseSnapshot, Penalty } from '@ecc/cases-domain';
import type { DocumentContent } from '@ecc/cases-data';
import { BASIS, basisArticle, basisCitation } from '@ecc/legal-domain';
import type { DocumentKind } from '@ecc/shared-data';
import { localDate } from '@ecc/shared-kernel';
import type { CorrectionRecordedTrip } from './source-unit-correction';

export interface CitedBasis {
  code?: string;
  /** `penalty`: 处罚依据; `definition`: the provision violated; others are procedural or remedies. */
  role?: 'definition' | 'penalty' | 'procedure' | 'remedy';
  title: string;
  article: string;
  text: string;
}

/** Everything a document of a case may print; filled from the case's rows and its snapshot. */
export interface DocumentFacts {
  caseNumber: string;
  /** The issuing authority (configuration BUREAU_NAME). */
  authority: string;
  timeZone: string;
  now: Date;
  party: {
    name: string;
    kind: string;
    idNumber: string | null;
    address: string | null;
    phone: string | null;
  } | null;
  enterprise: string | null;
  /** found in the investigation: 驾驶人 and 从业资格证号, 货运源头单位 and 装载单号 */
  driver?: {
    name: string;
    idNumber: string | null;
    qualificationNo: string | null;
    /** 驾驶人所属企业, when the investigation found it */
    employer?: string | null;
  } | null;
  sourceUnit?: { name: string; loadingSlipNo: string | null } | null;
  /** The case a sub-case (一超四罚) arose from: its number and the plate of its trip. */
  parent?: { caseNumber: string | null; plate: string | null } | null;
  plate: string;
  vehicleType: string | null;
  transportCertificateNo: string | null;
  homeAuthority: string | null;
  violationAt: Date;
  place: string;
  grossMassKg: number;
  limitKg: number;
  toleranceKg: number;
  excessKg: number;
  axleCount: number;
  facts: string;
  officers: { name: string; certificateNo: string | null }[];
  evidence: string[];
  investigations: { kind: string; at: Date; summary: string }[];
  basis: CitedBasis[];
  /** Where the remedies lie and how non-fine measures are performed (the `case` policy in force). */
  remedies: { reconsiderationBody: string; court: string };
  performance: { surrenderDays: number; suspensionDays: number };
  snapshot: CaseSnapshot;
}

const fmtDay = (d: Date, tz: string) => {
  const [y, m, day] = localDate(d, tz).split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};
const fmtTime = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);

export function penaltyText(p: Penalty | undefined): string {
  if (!p) return '（未拟定）';
  // 超限规定 Art. 43(1)(二), 43(2): a weight warning and a size fine are both imposed.
  if (p.kind === 'fine') return `${p.warning ? '警告，并处' : ''}罚款人民币${p.amountYuan ?? 0}元`;
  if (p.kind === 'warning') return '警告';
  return {
    order_stop_transport: '责令停止从事营业性运输',
    business_suspension: '责令停业整顿',
    licence_revocation: '吊销道路运输经营许可证',
    certificate_revocation: '吊销车辆营运证',
  }[p.kind];
}

const partyLine = (f: DocumentFacts) =>
  f.party
    ? `当事人：${f.party.name}（${f.party.kind === 'person' ? '身份证号' : '统一社会信用代码'}：${f.party.idNumber ?? '—'}；地址：${f.party.address ?? '—'}）`
    : '当事人：（待查明）';

const factsLine = (f: DocumentFacts) =>
  f.facts ||
  `${fmtTime(f.violationAt, f.timeZone)}，车辆${f.plate}（${f.axleCount}轴）途经${f.place}，经不停车检测系统检测车货总质量${f.grossMassKg}千克，` +
    `限值${f.limitKg}千克，扣除检测误差${f.toleranceKg}千克后超限${f.excessKg}千克。`;

const NO_BASIS = '（法律依据目录中无在违法行为发生之日有效的条文）';
const citation = (b: CitedBasis) => `${b.title}${b.article}`;
const citationList = (list: CitedBasis[]) => list.map(citation).join('、');
const textLines = (list: CitedBasis[]) =>
  list.length ? list.map((b) => `${citation(b)}：${b.text}`) : [NO_BASIS];

/** 处罚依据: the penalty provisions cited (a citation without a role is one). */
const penaltyBasis = (f: DocumentFacts) => f.basis.filter((b) => b.role !== 'definition');
/**
 * 违反的规定 (行政处罚法 Art. 59(2)), cited apart from the penalty basis: the prohibitions and definitions the
 * catalogue gives for the violation; where it has none (公路安全保护条例 Art. 66, 68 state the conduct they
 * penalise), the penalty provision itself.
 */
const violatedProvisions = (f: DocumentFacts) => {
  const violated = f.basis.filter((b) => b.role === 'definition');
  return violated.length ? violated : penaltyBasis(f);
};

const basisLines = (f: DocumentFacts) => textLines(penaltyBasis(f));

/** 违反……的规定，依据……的规定: the two citations of the notice and the decision. */
const citationSentence = (f: DocumentFacts) => {
  const violated = violatedProvisions(f);
  const basis = penaltyBasis(f);
  return violated.length && basis.length
    ? `上述行为违反了${citationList(violated)}的规定，依据${citationList(basis)}的规定，`
    : `${NO_BASIS}，`;
};

/**
 * 履行方式和期限 (行政处罚法 Art. 59(4)) of each penalty: the fine within 15 days (Art. 67) with the late fee
 * (Art. 72); the measures from service, with the periods the bureau's policy sets where the law leaves them.
 */
function performanceText(p: Penalty | undefined, f: DocumentFacts): string {
  const days = f.performance.surrenderDays;
  switch (p?.kind) {
    case undefined:
      return '';
    case 'fine':
      return (
        `履行方式和期限：请自收到本决定书之日起十五日内，持本决定书到指定银行或者通过电子支付系统缴纳罚款。` +
        `到期不缴纳罚款的，根据${basisCitation(BASIS.lateFee)}，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。`
      );
    case 'warning':
      return '履行方式和期限：警告自本决定书送达之日起执行完毕。';
    case 'order_stop_transport':
      return (
        // No article is cited for the report: 超限规定 Art. 46 gives the Art. 66 measures to the road transport
        // authority and sets the counting cycle; it does not require reporting the order to the issuer.
        `履行方式和期限：自收到本决定书之日起停止从事营业性运输；本机关将本决定抄告其从业资格证发证机关。`
      );
    case 'business_suspension':
      return (
        `履行方式和期限：自收到本决定书之日起停业整顿${f.performance.suspensionDays}日；整顿期间不得从事道路运输经营，` +
        `期满经本机关检查整改到位后恢复经营。`
      );
    case 'licence_revocation':
      return (
        `履行方式和期限：《道路运输经营许可证》自本决定书送达之日起吊销，请于收到本决定书之日起${days}日内将许可证件交回本机关；` +
        `本机关依法向社会公告（《公路安全保护条例》第六十六条）。`
      );
    case 'certificate_revocation':
      return (
        `履行方式和期限：车辆${f.plate}的车辆营运证（道路运输证${f.transportCertificateNo ? ` ${f.transportCertificateNo}` : ''}）` +
        `自本决定书送达之日起吊销，请于收到本决定书之日起${days}日内交回本机关。`
      );
  }
}

/** 救济途径和期限 (行政处罚法 Art. 59(5)): the body, the court, the periods; the penalty is not suspended (Art. 73). */
const remediesText = (f: DocumentFacts, what: '决定' | '通知' = '决定') =>
  `如不服本${what}，可以在收到本${what}书之日起六十日内向${f.remedies.reconsiderationBody}申请行政复议，` +
  `或者在六个月内向${f.remedies.court}提起行政诉讼。` +
  `行政复议或者行政诉讼期间，本${what}不停止执行（${basisCitation(BASIS.penaltyNotSuspended)}）。`;

const fmtIsoDay = (day: string) => {
  const [y, m, d] = day.split('-');
  return y && m && d ? `${y}年${Number(m)}月${Number(d)}日` : '—';
};

const cites = (f: DocumentFacts, code: string) => f.basis.some((b) => b.code === code);

/** 案由 of the filing, by case type: the conduct each case answers for (一超四罚: each party its own). */
function causeOfCase(f: DocumentFacts): string {
  const plate = f.plate !== '—' ? f.plate : (f.parent?.plate ?? null);
  const ofVehicle = plate ? `（车辆${plate}）` : '';
  switch (f.snapshot.caseType) {
    case 'vehicle':
      return `车辆${f.plate}涉嫌违法超限运输`;
    case 'driver':
      return `货运车辆驾驶人一年内违法超限运输超过三次${ofVehicle}`;
    case 'vehicle_certificate':
      return `货运车辆${plate ?? ''}一年内违法超限运输超过三次`;
    case 'enterprise':
      return '道路运输企业一年内违法超限运输的货运车辆超过本单位货运车辆总数百分之十';
    case 'source_unit':
      // 《公路安全保护条例》 Art. 68 (instructed or forced the overload) or 湖南条例 Arts. 13, 30 (loaded and let it leave).
      return cites(f, 'HSR-68')
        ? `货运源头单位涉嫌指使、强令车辆驾驶人超限运输货物${ofVehicle}`
        : `货运源头单位涉嫌为超限超载车辆装载、配载货物并放行${ofVehicle}`;
  }
}

/** 案件来源: the detection of a vehicle case; for a sub-case, 一超四罚 arising from its parent case. */
function sourceOfCase(f: DocumentFacts): string {
  if (f.snapshot.caseType === 'vehicle') return `公路超限不停车检测（${f.place}）`;
  const parent = f.parent?.caseNumber ?? '（未编号）';
  return `一超四罚：本机关查处${f.parent?.plate ? `车辆${f.parent.plate}` : ''}违法超限运输案件（${parent}）中发现`;
}

const officersLine = (f: DocumentFacts) =>
  `执法人员：${f.officers.map((o) => `${o.name}（执法证号 ${o.certificateNo ?? '—'}）`).join('、')}`;

interface CaseDocumentTemplate {
  title: string;
  /** The lines of the document, from the case's facts and what the action adds (`extra`). */
  lines(f: DocumentFacts, extra: Record<string, string>): string[];
}

/** 案卷文书: every kind of case document, declared once: its title and its text. */
export const CASE_DOCUMENT_TEMPLATES: Record<DocumentKind, CaseDocumentTemplate> = {
  filing_approval: {
    title: '立案审批表',
    lines: (f) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        partyLine(f),
        `案由：${causeOfCase(f)}`,
        `案件来源：${sourceOfCase(f)}`,
        `简要案情：${factsLine(f)}`,
        officersLine(f),
        `拟定处罚：${penaltyText(s.proposedPenalty)}`,
        `负责人审批意见：同意立案（${fmtDay(f.now, tz)}）`,
      ];
    },
  },
  inquiry_record: {
    title: '询问笔录',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        `询问时间：${fmtTime(new Date(extra['at'] ?? f.now), tz)}`,
        `地点：${extra['location'] ?? '—'}`,
        officersLine(f),
        partyLine(f),
        // 行政处罚法 Art. 55: whose statement this is — the person questioned, not necessarily the party.
        `被询问人：${extra['intervieweeName'] || '—'}（${extra['intervieweeId'] || `身份证号：${extra['intervieweeIdNumber'] || '—'}`}；与本案关系：${extra['intervieweeRelation'] || '—'}）`,
        `询问内容：${extra['summary'] ?? ''}`,
      ];
    },
  },
  evidence_list: {
    title: '证据清单',
    lines: (f) => {
      return [`案号：${f.caseNumber}`, ...f.evidence.map((e, i) => `${i + 1}. ${e}`)];
    },
  },
  pre_penalty_notice: {
    title: '行政处罚告知书',
    lines: (f, extra) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      return [
        partyLine(f),
        `经查，${factsLine(f)}`,
        `${citationSentence(f)}本机关拟对你（单位）作出如下行政处罚：${penaltyText(s.proposedPenalty)}。`,
        '违反的规定：',
        ...textLines(violatedProvisions(f)),
        '处罚依据：',
        ...basisLines(f),
        `根据${basisCitation(BASIS.prePenaltyNotice, BASIS.statementAndDefence)}的规定，你（单位）有权进行陈述和申辩；` +
          `请于收到本告知书之日起${extra['statementDays'] ?? '3'}个工作日内提出。`,
        extra['hearingRight'] === 'true'
          ? `根据${basisCitation(BASIS.hearingRight, BASIS.hearingProcedure)}的规定，你（单位）有权要求听证，请于收到本告知书之日起5个工作日内提出，逾期视为放弃。`
          : '本案拟作出的处罚不属于听证范围。',
        `逾期不陈述、申辩的，视为放弃上述权利。`,
        `${f.authority}\u3000${fmtDay(f.now, tz)}`,
      ];
    },
  },
  hearing_notice: {
    title: '听证通知书',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        partyLine(f),
        `你（单位）要求听证的车辆${f.plate}违法超限运输一案（${f.caseNumber}），根据《中华人民共和国行政处罚法》第六十四条的规定，` +
          `本机关定于${fmtTime(new Date(extra['hearingAt'] ?? f.now), tz)}在${extra['location'] ?? '—'}举行听证。`,
        `听证主持人：${extra['host'] || '—'}（非本案调查人员）`,
        `你（单位）可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。` +
          `无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。`,
        officersLine(f),
        `${f.authority}\u3000${fmtDay(f.now, tz)}`,
      ];
    },
  },
  hearing_record: {
    title: '听证笔录',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        `听证时间：${fmtTime(new Date(extra['heldAt'] ?? f.now), tz)}`,
        `听证主持人：${extra['host'] || '—'}`,
        partyLine(f),
        officersLine(f),
        `参加人员：${extra['participants'] || '—'}`,
        `听证情况：调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证。${extra['summary'] ?? ''}`,
        `笔录经当事人或者其代理人核对无误后签字或者盖章（行政处罚法第六十四条第八项）。`,
      ];
    },
  },
  statement_record: {
    title: '陈述申辩笔录',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        partyLine(f),
        `${extra['title'] ?? '陈述申辩'}：${extra['content'] ?? ''}`,
        `记录时间：${fmtTime(f.now, tz)}`,
      ];
    },
  },
  legal_review_opinion: {
    title: '法制审核意见书',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        `审核事项：事实、证据、程序、法律依据、裁量`,
        `审核结论：${extra['outcome'] === 'passed' ? '通过' : '退回补正'}`,
        `审核意见：${extra['opinions'] ?? '无'}`,
        `法制审核人员：${extra['reviewer'] ?? ''}（法律职业资格证号 ${extra['qualification'] ?? '—'}）\u3000${fmtDay(f.now, tz)}`,
      ];
    },
  },
  decision: {
    title: '行政处罚决定书',
    lines: (f) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      const penalty = s.decision?.penalty ?? s.proposedPenalty;
      return [
        `${f.authority}行政处罚决定书\u3000${f.caseNumber}`,
        partyLine(f),
        f.enterprise ? `所属道路运输企业：${f.enterprise}` : '',
        `违法事实：${factsLine(f)}`,
        '证据：',
        ...f.evidence.map((e, i) => `${i + 1}. ${e}`),
        '以上事实有上述证据为证。',
        '违反的规定：',
        ...textLines(violatedProvisions(f)),
        '处罚依据：',
        ...basisLines(f),
        `${citationSentence(f)}本机关决定：${penaltyText(penalty)}。`,
        performanceText(penalty, f),
        remediesText(f),
        `${f.authority}（印章）\u3000${fmtDay(f.now, tz)}`,
      ].filter((l) => l !== '');
    },
  },
  proof_of_service: {
    title: '送达回证',
    lines: (f, extra) => {
      const tz = f.timeZone;
      return [
        // The document served (its title and number); the decision's unless the action names another.
        `送达文书：${extra['documentTitle'] || '行政处罚决定书'}（${extra['documentNumber'] || f.caseNumber}）`,
        `受送达人：${f.party?.name ?? '—'}`,
        `送达方式：${{ direct: '直接送达', post: '邮寄送达', electronic: '电子送达（经当事人同意）', announcement: '公告送达' }[extra['method'] ?? 'direct'] ?? extra['method']}`,
        `送达地点/对象：${extra['recipient'] || '—'}`,
        `送达时间：${fmtTime(new Date(extra['servedAt'] ?? f.now), tz)}`,
        ...(extra['method'] === 'announcement'
          ? [
              `公告原因：${extra['announcementReason'] === 'party_not_found' ? '受送达人下落不明' : '采用其他方式无法送达'}（${extra['attempts'] ?? ''}）`,
              `公告送达生效：自公告之日起经过三十日，即视为送达（${extra['effectiveAt'] ? fmtDay(new Date(extra['effectiveAt']), tz) : '—'}，${basisCitation(BASIS.serviceByAnnouncement)}）`,
            ]
          : [
              `受送达人签名：${extra['signedBy'] ?? '（签名）'}`,
              `签收日期：${extra['receivedAt'] ? fmtDay(new Date(extra['receivedAt']), tz) : '—'}`,
            ]),
        officersLine(f),
      ];
    },
  },
  payment_record: {
    title: '罚没款收据（缴款记录）',
    lines: (f, extra) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        `缴款人：${f.party?.name ?? '—'}`,
        `罚款：${s.decision?.penalty.amountYuan ?? 0}元；本次缴款：${extra['amount']}元（其中加处罚款应缴${extra['lateFee']}元）`,
        `收据号：${extra['receiptNo']}`,
        `缴款时间：${fmtTime(new Date(extra['paidAt'] ?? f.now), tz)}`,
      ];
    },
  },
  closing_report: {
    title: '结案报告',
    lines: (f) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        partyLine(f),
        `处罚决定：${penaltyText(s.decision?.penalty)}，决定日期 ${s.decision ? fmtDay(s.decision.decidedAt, tz) : '—'}`,
        `送达：${s.service ? `${fmtDay(s.service.servedAt, tz)}（${s.service.method}）` : '—'}`,
        `执行情况：${s.payments.length ? `已缴款 ${s.payments.reduce((a, p) => a + p.amountYuan, 0)} 元` : s.enforcementReferral ? '已申请人民法院强制执行' : s.execution ? '已执行' : '—'}`,
        `结案日期：${fmtDay(f.now, tz)}`,
      ];
    },
  },
  home_authority_report: {
    title: '超限运输违法行为抄告函',
    lines: (f) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      return [
        `${f.homeAuthority ?? '车籍地道路运输管理机构'}：`,
        `根据《超限运输车辆行驶公路管理规定》第四十四条，现将车辆违法超限运输情况抄告如下：`,
        `车牌号码：${f.plate}；车辆类型：${f.vehicleType ?? '—'}；道路运输证号：${f.transportCertificateNo ?? '—'}`,
        `所属企业：${f.enterprise ?? '—'}`,
        // Art. 44(二): the driver's name, qualification number and enterprise (when the investigation found it).
        `驾驶人：${f.driver ? `${f.driver.name}（从业资格证号 ${f.driver.qualificationNo ?? '—'}${f.driver.employer ? `；所属企业：${f.driver.employer}` : ''}）` : '—'}`,
        `货运源头单位：${f.sourceUnit ? `${f.sourceUnit.name}（装载单号 ${f.sourceUnit.loadingSlipNo ?? '—'}）` : '—'}`,
        `违法事实：${factsLine(f)}`,
        `处罚决定：${f.caseNumber}，${penaltyText(s.decision?.penalty)}`,
        `${f.authority}\u3000${fmtDay(f.now, tz)}`,
      ];
    },
  },
  // 《公路安全保护条例》 Art. 66 reported to the party's home authority (超限规定 Art. 46): written by the four
  // penalties from the cases it counted (libs/penalties), which these facts do not hold; its lines are given.
  home_authority_measure_report: {
    title: '违法超限运输情况抄告函',
    lines: (_f, extra) => (extra['content'] ?? '').split('\n'),
  },
  correction_order: {
    title: '责令改正通知书',
    lines: (f) => {
      const order = f.snapshot.correction;
      const tz = f.timeZone;
      return [
        `${f.authority}责令改正通知书\u3000${f.caseNumber}`,
        partyLine(f),
        `经查，${factsLine(f)}`,
        `${citationSentence(f).replace(/，$/, '')}，现责令你单位改正上述违法行为：` +
          `自收到本通知书之日起${order?.periodDays ?? '—'}${order?.counting === 'working_days' ? '个工作日' : '日'}内` +
          `（至${order ? fmtIsoDay(order.lastDay) : '—'}）停止为超限超载车辆装载、配载货物，不得放行超限超载车辆出站（场），` +
          `并将整改情况书面报告本机关。`,
        '违反的规定：',
        ...textLines(violatedProvisions(f)),
        '处罚依据：',
        ...basisLines(f),
        `逾期不改正的，本机关将依法处一万元以上三万元以下罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）。`,
        remediesText(f, '通知'),
        officersLine(f),
        `${f.authority}（印章）\u3000${fmtDay(order?.servedAt ?? f.now, tz)}`,
      ];
    },
  },
  correction_review: {
    title: '整改复查意见书',
    lines: (f, extra) => {
      const order = f.snapshot.correction;
      const check = order?.check;
      const tz = f.timeZone;
      // the unit's trips loaded once the order was served (湖南条例 Art. 30), as the check action reads them
      const trips = JSON.parse(extra['tripsAfterService'] ?? '[]') as CorrectionRecordedTrip[];
      return [
        `案号：${f.caseNumber}`,
        partyLine(f),
        `责令改正：${order ? `${fmtIsoDay(order.servedOn)}送达，改正期限至${fmtIsoDay(order.lastDay)}` : '—'}`,
        `复查时间：${check ? fmtTime(check.checkedAt, tz) : '—'}`,
        `复查情况：${check?.corrected ? `已于${fmtIsoDay(check.correctedOn ?? '')}改正` : '未改正'}`,
        ...(trips.length
          ? [
              '复查期间发现该单位仍有下列装载超限情形：',
              ...trips.map(
                (t, i) =>
                  `${i + 1}. 案号${t.caseNumber ?? '—'}，${fmtIsoDay(t.violationDate)}，车牌${t.plate ?? '—'}，` +
                  `检测站点${t.station ?? '—'}`,
              ),
            ]
          : []),
        check?.outcome === 'no_fine'
          ? '复查结论：当事人已在期限内改正，依法不予罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）。'
          : `复查结论：逾期不改正，拟处罚款人民币${check?.amountYuan ?? '—'}元（一万元以上三万元以下，《湖南省治理货物运输车辆超限超载条例》第三十条）；` +
            `裁量理由：${check?.reasons ?? '—'}`,
        officersLine(f),
      ];
    },
  },
  execution_demand: {
    title: '催告书',
    lines: (f, extra) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      const penalty = s.decision?.penalty;
      return [
        `${f.authority}催告书\u3000${f.caseNumber}`,
        partyLine(f),
        `本机关于${s.decision ? fmtDay(s.decision.decidedAt, tz) : '—'}对你（单位）作出行政处罚决定（${f.caseNumber}）：` +
          `${penaltyText(penalty)}；该决定书已于${s.service ? fmtDay(s.service.servedAt, tz) : '—'}送达。` +
          `你（单位）在规定期限内未履行上述义务。`,
        `根据${basisCitation(BASIS.demandContents, BASIS.executionDemand)}的规定，现催告你（单位）自收到本催告书之日起十日内履行：` +
          (penalty?.kind === 'fine'
            ? `缴纳罚款人民币${penalty.amountYuan ?? 0}元及加处罚款人民币${extra['lateFee'] ?? '0'}元（计至${extra['asOf'] ?? fmtDay(f.now, tz)}，` +
              `《中华人民共和国行政处罚法》第七十二条；行政复议、行政诉讼期间不计，第七十三条第三款）。`
            : `${penaltyText(penalty)}。`),
        `你（单位）有权进行陈述和申辩（${basisCitation(BASIS.demandDefence)}）。`,
        `逾期仍不履行的，本机关将依法申请${f.remedies.court}强制执行（${basisCitation(BASIS.courtExecution, BASIS.executionDemand)}）。`,
        officersLine(f),
        `${f.authority}（印章）\u3000${fmtDay(s.executionDemand?.servedAt ?? f.now, tz)}`,
      ];
    },
  },
  court_application: {
    title: '强制执行申请书',
    lines: (f, extra) => {
      const s = f.snapshot;
      const tz = f.timeZone;
      const penalty = s.decision?.penalty;
      const paid = s.payments.reduce((sum, p) => sum + p.amountYuan, 0);
      return [
        `申请人：${f.authority}`,
        `被申请人：${partyLine(f).replace(/^当事人：/, '')}`,
        `申请事项：请求依法强制执行本机关作出的行政处罚决定（${f.caseNumber}）：${penaltyText(penalty)}` +
          (penalty?.kind === 'fine' && paid > 0 ? `（已缴纳${paid}元）` : '') +
          '。',
        `事实与理由：本机关于${s.decision ? fmtDay(s.decision.decidedAt, tz) : '—'}作出上述决定，` +
          `于${s.service ? fmtDay(s.service.servedAt, tz) : '—'}送达被申请人。被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行决定。` +
          `本机关于${s.executionDemand ? fmtDay(s.executionDemand.servedAt, tz) : '—'}送达催告书，催告书送达十日后被申请人仍未履行。`,
        `根据${basisCitation(BASIS.courtExecution, BASIS.executionDemand, BASIS.courtApplicationMaterials)}和《中华人民共和国行政处罚法》第七十二条的规定，特申请强制执行。`,
        `附：行政处罚决定书、送达回证、催告书及其送达回证、案件证据材料。`,
        `此致`,
        extra['court'] ?? f.remedies.court,
        `${f.authority}（印章）\u3000${fmtDay(f.now, tz)}`,
      ];
    },
  },
  collective_discussion: {
    title: '重大案件集体讨论记录',
    lines: (f) => {
      const d = f.snapshot.collectiveDiscussion;
      const tz = f.timeZone;
      return [
        `案号：${f.caseNumber}`,
        partyLine(f),
        `讨论时间：${d ? fmtTime(d.heldAt, tz) : '—'}`,
        `参加人员：${d?.participants ?? '—'}`,
        `拟作出的处罚：${penaltyText(f.snapshot.proposedPenalty)}`,
        `讨论决定：${d?.conclusion ?? '—'}`,
        `依据：${basisCitation(BASIS.decisionAfterInvestigation)}第二款（情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定）。`,
      ];
    },
  },
  no_penalty_decision: {
    title: '不予行政处罚决定书',
    lines: (f) => {
      const d = f.snapshot.noPenaltyDecision;
      const tz = f.timeZone;
      const ground = {
        first_minor_violation_corrected: '初次违法且危害后果轻微并及时改正，可以不予行政处罚',
        minor_violation_corrected: '违法行为轻微并及时改正，没有造成危害后果，不予行政处罚',
        no_fault: '当事人有证据足以证明没有主观过错，不予行政处罚',
      }[d?.ground ?? 'first_minor_violation_corrected'];
      return [
        `${f.authority}不予行政处罚决定书\u3000${f.caseNumber}`,
        partyLine(f),
        `违法事实：${factsLine(f)}`,
        '证据：',
        ...f.evidence.map((e, i) => `${i + 1}. ${e}`),
        '违反的规定：',
        ...textLines(violatedProvisions(f)),
        `不予处罚的理由：${d?.reasons ?? '—'}`,
        `根据${basisCitation(BASIS.noPenalty)}（${ground}）和${basisArticle(BASIS.decisionAfterInvestigation)}第一款第（二）项的规定，本机关决定对你（单位）不予行政处罚。`,
        `对你（单位）予以批评教育：今后应严格遵守公路超限运输管理规定（${basisCitation(BASIS.noPenalty)}第三款）。`,
        remediesText(f),
        `${f.authority}（印章）\u3000${fmtDay(d?.decidedAt ?? f.now, tz)}`,
      ];
    },
  },
  other: {
    title: '其他文书',
    lines: (f, extra) => [`案号：${f.caseNumber}`, extra['content'] ?? ''],
  },
};

/** The title of a document kind, as its document prints it. */
export const caseDocumentTitle = (kind: DocumentKind): string => CASE_DOCUMENT_TEMPLATES[kind].title;

const escape = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A document of the case from its template, as plain text and as HTML (same content). */
export function renderCaseDocument(
  kind: DocumentKind,
  facts: DocumentFacts,
  extra: Record<string, string> = {},
): DocumentContent {
  const { title, lines: linesOf } = CASE_DOCUMENT_TEMPLATES[kind];
  return caseDocumentContent(title, linesOf(facts, extra));
}

/**
 * A document's stored content from its title and lines, as plain text and as HTML (same content): the form
 * every case document is stored in, also for a kind another context writes (the four penalties' report).
 */
export function caseDocumentContent(title: string, lines: readonly string[]): DocumentContent {
  const text = [title, '', ...lines].join('\n');
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
    `<body><h1>${escape(title)}</h1>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}</body></html>`;
  return { title, text, html };
}
