import { DomainError, type IsoDate } from '@ecc/shared-kernel';
import { basisInForce, refOf, type LegalArticle, type LegalRef } from './legal-basis';

/**
 * The legal-basis catalogue shipped with the system (the admin may maintain further versions as data).
 *
 * CAUTION: the texts below are reproduced as faithfully as we could, but they MUST be checked against the
 * official texts (国家法律法规数据库 flk.npc.gov.cn, 交通运输部规章库) before production use, including
 * whether later amendments changed wording, numbering or validity dates. Long articles are split into
 * one entry per provision that is cited on its own (one penalty range each); unrelated items are elided (……).
 */

const ORR = '《超限运输车辆行驶公路管理规定》';
const ORR_NO = '交通运输部令2016年第62号';
const ORR_FROM = '2016-09-21';

const HSR = '《公路安全保护条例》';
const HSR_NO = '国务院令第593号';
const HSR_FROM = '2011-07-01';

const APL = '《中华人民共和国行政处罚法》';
const APL_NO = '2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订';
const APL_FROM = '2021-07-15';

const HN_OLR = '《湖南省治理货物运输车辆超限超载条例》';
const HN_OLR_NO = '湖南省人民代表大会常务委员会公告';
// The first day in force of the Hunan regulation as we understand it: confirm against the provincial gazette.
const HN_OLR_FROM = '2022-01-01';

const ACL = '《中华人民共和国行政强制法》';
const ACL_NO = '2011年6月30日第十一届全国人民代表大会常务委员会第二十一次会议通过';
const ACL_FROM = '2012-01-01';

const CPL = '《中华人民共和国民事诉讼法》';
const CPL_NO = '2021年12月24日第十三届全国人民代表大会常务委员会第三十二次会议第四次修正';
// The 2021 amendment shortened service by announcement from 60 to 30 days and numbered it Art. 95, in force
// from 2022-01-01; whether the 2023 amendment kept the number must be confirmed against the official text.
const CPL_FROM = '2022-01-01';

/** Stable codes of the provisions the code applies (use these, not string literals). */
export const BASIS = {
  /** 超限认定标准（总质量、外廓尺寸） */
  overloadLimits: 'ORR-3',
  /** 外廓尺寸：高 ≤4.2 m、宽 ≤3 m、长 ≤20 m → 200 元以下 */
  dimensionFineTier1: 'ORR-43-1-1A',
  /** 外廓尺寸：高 ≤4.5 m、宽 ≤3.75 m、长 ≤28 m → 200–1000 元 */
  dimensionFineTier2: 'ORR-43-1-1B',
  /** 外廓尺寸：超过 4.5 m / 3.75 m / 28 m → 1000–3000 元 */
  dimensionFineTier3: 'ORR-43-1-1C',
  /** 总质量：≤1000 kg 警告；每超 1000 kg 罚款 500 元，最高 30000 元 */
  grossFine: 'ORR-43-1-2',
  /** 多项违法罚款累计，最高 30000 元 */
  cumulativeCap: 'ORR-43-2',
  /** 结案后 7 个工作日内抄告车籍所在地道路运输管理机构 */
  homeAuthorityReport: 'ORR-44',
  /** 公路安全保护条例 Art. 33: vehicles over the limits may not use the road (the provision violated) */
  highwaySafetyProhibition: 'HSR-33',
  highwaySafetyOverload: 'HSR-64',
  repeatVehicle: 'HSR-66-VEHICLE',
  repeatDriver: 'HSR-66-DRIVER',
  enterpriseFleet: 'HSR-66-ENTERPRISE',
  instructingOverload: 'HSR-68',
  /** 公路法 Art. 50: vehicles over the limits may not use the road (the provision violated) */
  highwayLawProhibition: 'HWL-50',
  highwayLawOverload: 'HWL-76',
  /** 行政处罚法 Art. 22: the authority where the violation took place is competent (地域管辖) */
  territorialJurisdiction: 'APL-22',
  electronicMonitoring: 'APL-41',
  twoOfficers: 'APL-42',
  prePenaltyNotice: 'APL-44',
  statementAndDefence: 'APL-45',
  publicity: 'APL-48',
  legalReview: 'APL-58',
  decisionDocument: 'APL-59',
  decisionWithin90Days: 'APL-60',
  service: 'APL-61',
  hearingRight: 'APL-63',
  hearingProcedure: 'APL-64',
  payment: 'APL-67',
  lateFee: 'APL-72',
  workingDays: 'APL-85',
  reconsideration: 'ARL-20',
  reconsiderationBefore2024: 'ARL-9',
  lawsuit: 'ALL-46',
  /** 超限规定 Art. 46: the Art. 66 measures belong to the road transport authority; the counting cycle */
  overloadMeasuresAuthority: 'ORR-46',
  /** 湖南条例 Art. 13: a cargo source unit must not load an overloaded vehicle nor let it leave */
  sourceUnitObligation: 'HN-OLR-13',
  /** 湖南条例 Art. 30: ordered to correct within a period; not corrected → 10,000–30,000 yuan */
  sourceUnitRelease: 'HN-OLR-30',
  /** 行政处罚法 Art. 73 ¶3: no late fee while reconsideration or a lawsuit is pending */
  lateFeePause: 'APL-73',
  /** 行政处罚法 Art. 73 ¶1: the penalty is not suspended by reconsideration or a lawsuit (every decision says so) */
  penaltyNotSuspended: 'APL-73-1',
  /** 行政处罚法 Art. 33: no penalty for a minor violation corrected in time, or without fault; education */
  noPenalty: 'APL-33',
  /** 行政处罚法 Art. 57: the decisions after the investigation; ¶2 collective discussion of serious penalties */
  decisionAfterInvestigation: 'APL-57',
  /** 行政强制法 Art. 35: the written demand (催告书) and what it states */
  demandContents: 'ACL-35',
  /** 行政强制法 Art. 36: the party's statement and defence after the demand */
  demandDefence: 'ACL-36',
  /** 行政强制法 Art. 55: the materials of an application to the court */
  courtApplicationMaterials: 'ACL-55',
  /** 民事诉讼法 Art. 95: service by public announcement, effective 30 days after it */
  serviceByAnnouncement: 'CPL-95',
  /** 行政复议法 (2023) Art. 24: the county government hears appeals against its departments */
  reconsiderationBody: 'ARL-24',
  /** 行政强制法 Art. 53: the application to the court within 3 months after the remedy periods */
  courtExecution: 'ACL-53',
  /** 行政强制法 Art. 54: a written demand first; the application 10 days after its service */
  executionDemand: 'ACL-54',
  /** 行政强制法 Art. 69: its periods of up to ten days are working days */
  enforcementWorkingDays: 'ACL-69',
} as const;
export type BasisCode = (typeof BASIS)[keyof typeof BASIS];

export const LEGAL_BASIS_CATALOGUE: readonly LegalArticle[] = [
  // ── 《超限运输车辆行驶公路管理规定》 ──────────────────────────────────────────────────────────
  {
    code: BASIS.overloadLimits,
    title: ORR,
    instrument: ORR_NO,
    article: '第三条',
    text:
      '本规定所称超限运输车辆，是指有下列情形之一的货物运输车辆：（一）车货总高度从地面算起超过4米；' +
      '（二）车货总宽度超过2.55米；（三）车货总长度超过18.1米；（四）二轴货车，其车货总质量超过18000千克；' +
      '（五）三轴货车，其车货总质量超过25000千克；三轴汽车列车，其车货总质量超过27000千克；' +
      '（六）四轴货车，其车货总质量超过31000千克；四轴汽车列车，其车货总质量超过36000千克；' +
      '（七）五轴汽车列车，其车货总质量超过43000千克；' +
      '（八）六轴及六轴以上汽车列车，其车货总质量超过49000千克，其中牵引车驱动轴为单轴的，其车货总质量超过46000千克。\n' +
      '前款规定的限定标准的认定，还应当遵守下列要求：（一）二轴组按照二个轴计算，三轴组按照三个轴计算；' +
      '（二）除驱动轴外，二轴组、三轴组以及半挂车和全挂车的车轴每侧轮胎按照双轮胎计算，若每轴每侧轮胎为单轮胎，' +
      '限定标准减少3000千克，但安装符合国家有关标准的加宽轮胎的除外；（三）车辆最大允许总质量不应超过各车轴最大允许轴荷之和；' +
      '（四）拖拉机、农用车、低速货车，以行驶证核定的总质量为限定标准；' +
      '（五）符合《汽车、挂车及汽车列车外廓尺寸、轴荷及质量限值》（GB1589）规定的冷藏车、汽车列车、安装空气悬架的车辆，' +
      '以及专用作业车，不认定为超限运输车辆。',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'definition',
    violationTypes: ['overload_gross', 'overload_dimension'],
    penalty: null,
  },
  {
    code: BASIS.dimensionFineTier1,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十三条第一款第（一）项（高≤4.2米、宽≤3米且长≤20米）',
    text:
      '车辆违法超限运输的，由公路管理机构根据违法行为的性质、情节和危害程度，按下列规定给予处罚：' +
      '（一）车货总高度从地面算起未超过4.2米、总宽度未超过3米且总长度未超过20米的，可以处200元以下罚款；……',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_dimension'],
    penalty: { kinds: ['fine'], fineYuan: { minYuan: 0, maxYuan: 200 } },
  },
  {
    code: BASIS.dimensionFineTier2,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十三条第一款第（一）项（高≤4.5米、宽≤3.75米且长≤28米）',
    text:
      '车辆违法超限运输的，由公路管理机构根据违法行为的性质、情节和危害程度，按下列规定给予处罚：' +
      '（一）……车货总高度从地面算起未超过4.5米、总宽度未超过3.75米且总长度未超过28米的，处200元以上1000元以下罚款；……',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_dimension'],
    penalty: { kinds: ['fine'], fineYuan: { minYuan: 200, maxYuan: 1000 } },
  },
  {
    code: BASIS.dimensionFineTier3,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十三条第一款第（一）项（高>4.5米、宽>3.75米或长>28米）',
    text:
      '车辆违法超限运输的，由公路管理机构根据违法行为的性质、情节和危害程度，按下列规定给予处罚：' +
      '（一）……车货总高度从地面算起超过4.5米、总宽度超过3.75米或者总长度超过28米的，处1000元以上3000元以下的罚款；',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_dimension'],
    penalty: { kinds: ['fine'], fineYuan: { minYuan: 1000, maxYuan: 3000 } },
  },
  {
    code: BASIS.grossFine,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十三条第一款第（二）项',
    text:
      '车辆违法超限运输的，由公路管理机构根据违法行为的性质、情节和危害程度，按下列规定给予处罚：……' +
      '（二）车货总质量超过本规定第三条第一款第四项至第八项规定的限定标准，但未超过1000千克的，予以警告；' +
      '超过1000千克的，每超1000千克罚款500元，最高不得超过30000元。',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_gross'],
    penalty: { kinds: ['warning', 'fine'], fineYuan: { minYuan: 500, maxYuan: 30000 } },
  },
  {
    code: BASIS.cumulativeCap,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十三条第二款',
    text: '有前款所列多项违法行为的，相应违法行为的罚款数额应当累计，但累计罚款数额最高不得超过30000元。',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_gross', 'overload_dimension'],
    penalty: { kinds: ['fine'], fineYuan: { minYuan: 0, maxYuan: 30000 } },
  },
  {
    code: BASIS.homeAuthorityReport,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十四条',
    text:
      '公路管理机构在违法超限运输案件处理完毕后7个工作日内，应当将与案件相关的下列信息通过车辆超限管理信息系统' +
      '抄告车籍所在地道路运输管理机构：（一）车辆的号牌号码、车型、车辆所属企业、道路运输证号信息；' +
      '（二）驾驶人的姓名、驾驶人从业资格证编号、驾驶人所属企业信息；（三）货运源头单位、货物装载单信息；' +
      '（四）行政处罚决定书信息；（五）与案件相关的其他资料信息。',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },

  {
    code: BASIS.overloadMeasuresAuthority,
    title: ORR,
    instrument: ORR_NO,
    article: '第四十六条',
    text:
      '对1年内违法超限运输超过3次的货运车辆和驾驶人，以及1年内违法超限运输的货运车辆超过本单位货运车辆总数10%的' +
      '道路运输企业，由道路运输管理机构依照《公路安全保护条例》第六十六条予以处理。\n' +
      '前款规定的违法超限运输记录累计计算周期，从初次领取《道路运输证》、《从业资格证》、《道路运输经营许可证》之日算起，' +
      '可跨自然年度。',
    validFrom: ORR_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },

  // ── 《公路安全保护条例》 ───────────────────────────────────────────────────────────────────
  {
    code: BASIS.highwaySafetyProhibition,
    title: HSR,
    instrument: HSR_NO,
    article: '第三十三条第一款',
    text:
      '超过公路、公路桥梁、公路隧道限载、限高、限宽、限长标准的车辆，不得在公路、公路桥梁或者公路隧道行驶；' +
      '超过汽车渡船限载、限高、限宽、限长标准的车辆，不得使用汽车渡船。',
    validFrom: HSR_FROM,
    validTo: null,
    // The prohibition a decision cites as the provision violated (行政处罚法 Art. 59(2)), apart from the basis.
    role: 'definition',
    violationTypes: ['overload_gross', 'overload_dimension', 'overload_axle'],
    penalty: null,
  },
  {
    code: BASIS.highwaySafetyOverload,
    title: HSR,
    instrument: HSR_NO,
    article: '第六十四条',
    text:
      '违反本条例的规定，在公路上行驶的车辆，车货总体的外廓尺寸、轴荷或者总质量超过公路、公路桥梁、公路隧道、' +
      '汽车渡船限定标准的，由公路管理机构责令改正，可以处3万元以下的罚款。',
    validFrom: HSR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_gross', 'overload_dimension', 'overload_axle'],
    penalty: { kinds: ['order_correct', 'fine'], fineYuan: { minYuan: 0, maxYuan: 30000 } },
  },
  {
    code: BASIS.repeatVehicle,
    title: HSR,
    instrument: HSR_NO,
    article: '第六十六条（货运车辆）',
    text: '对1年内违法超限运输超过3次的货运车辆，由道路运输管理机构吊销其车辆营运证；……',
    validFrom: HSR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['repeat_overload_vehicle'],
    penalty: { kinds: ['certificate_revocation'] },
  },
  {
    code: BASIS.repeatDriver,
    title: HSR,
    instrument: HSR_NO,
    article: '第六十六条（驾驶人）',
    text: '……对1年内违法超限运输超过3次的货运车辆驾驶人，由道路运输管理机构责令其停止从事营业性运输；……',
    validFrom: HSR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['repeat_overload_driver'],
    penalty: { kinds: ['order_stop_transport'] },
  },
  {
    code: BASIS.enterpriseFleet,
    title: HSR,
    instrument: HSR_NO,
    article: '第六十六条（道路运输企业）',
    text:
      '……道路运输企业1年内违法超限运输的货运车辆超过本单位货运车辆总数10%的，由道路运输管理机构责令道路运输企业' +
      '停业整顿；情节严重的，吊销其道路运输经营许可证，并向社会公告。',
    validFrom: HSR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['enterprise_overload_fleet'],
    penalty: { kinds: ['business_suspension', 'licence_revocation'] },
  },
  {
    code: BASIS.instructingOverload,
    title: HSR,
    instrument: HSR_NO,
    article: '第六十八条',
    text: '违反本条例的规定，指使、强令车辆驾驶人超限运输货物的，由道路运输管理机构责令改正，处3万元以下的罚款。',
    validFrom: HSR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['instructing_overload'],
    penalty: { kinds: ['order_correct', 'fine'], fineYuan: { minYuan: 0, maxYuan: 30000 } },
  },

  // ── 《湖南省治理货物运输车辆超限超载条例》（地方性法规） ─────────────────────────────────────────
  {
    code: BASIS.sourceUnitObligation,
    title: HN_OLR,
    instrument: HN_OLR_NO,
    article: '第十三条',
    text:
      '货运源头单位不得为无车辆营运证（总质量四千五百千克及以下普通货运车辆除外）、无号牌、无车辆行驶证以及拼装或者' +
      '擅自改装的货运车辆装载、配载货物；不得放行超限超载车辆出站（场）。……',
    validFrom: HN_OLR_FROM,
    validTo: null,
    role: 'definition',
    violationTypes: ['source_unit_release'],
    penalty: null,
  },
  {
    code: BASIS.sourceUnitRelease,
    title: HN_OLR,
    instrument: HN_OLR_NO,
    article: '第三十条',
    text:
      '违反本条例第十三条规定，货运源头单位为超限超载货运车辆装载、配载货物或者放行超限超载车辆出站（场）的，' +
      '由县级以上人民政府交通运输主管部门责令限期改正；逾期不改正的，处一万元以上三万元以下罚款。',
    validFrom: HN_OLR_FROM,
    validTo: null,
    role: 'penalty',
    violationTypes: ['source_unit_release'],
    penalty: { kinds: ['order_correct', 'fine'], fineYuan: { minYuan: 10000, maxYuan: 30000 } },
  },

  // ── 《中华人民共和国公路法》 ─────────────────────────────────────────────────────────────────
  {
    code: BASIS.highwayLawProhibition,
    title: '《中华人民共和国公路法》',
    instrument: '2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议第五次修正',
    article: '第五十条第一款',
    text:
      '超过公路、公路桥梁、公路隧道或者汽车渡船的限载、限高、限宽、限长标准的车辆，不得在有限定标准的公路、公路桥梁上' +
      '或者公路隧道内行驶，不得使用汽车渡船。……',
    validFrom: '2017-11-05',
    validTo: null,
    role: 'definition',
    violationTypes: ['overload_gross', 'overload_dimension', 'overload_axle'],
    penalty: null,
  },
  {
    code: BASIS.highwayLawOverload,
    title: '《中华人民共和国公路法》',
    instrument: '2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议第五次修正',
    article: '第七十六条第（五）项',
    text:
      '有下列违法行为之一的，由交通主管部门责令停止违法行为，可以处三万元以下的罚款：……' +
      '（五）违反本法第五十条规定，车辆超限使用汽车渡船或者在公路上擅自超限行驶的；……',
    // The consolidated text after the 2017 amendment; earlier versions carried the same item (check).
    validFrom: '2017-11-05',
    validTo: null,
    role: 'penalty',
    violationTypes: ['overload_gross', 'overload_dimension', 'overload_axle'],
    penalty: { kinds: ['order_correct', 'fine'], fineYuan: { minYuan: 0, maxYuan: 30000 } },
  },

  // ── 《中华人民共和国行政处罚法》（2021 年修订） ────────────────────────────────────────────────
  {
    code: BASIS.territorialJurisdiction,
    title: APL,
    instrument: APL_NO,
    article: '第二十二条',
    text: '行政处罚由违法行为发生地的行政机关管辖。法律、行政法规、部门规章另有规定的，从其规定。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.electronicMonitoring,
    title: APL,
    instrument: APL_NO,
    article: '第四十一条',
    text:
      '行政机关依照法律、行政法规规定利用电子技术监控设备收集、固定违法事实的，应当经过法制和技术审核，' +
      '确保电子技术监控设备符合标准、设置合理、标志明显，设置地点应当向社会公布。\n' +
      '电子技术监控设备记录违法事实应当真实、清晰、完整、准确。行政机关应当审核记录内容是否符合要求；' +
      '未经审核或者经审核不符合要求的，不得作为行政处罚的证据。\n' +
      '行政机关应当及时告知当事人违法事实，并采取信息化手段或者其他措施，为当事人查询、陈述和申辩提供便利。' +
      '不得限制或者变相限制当事人享有的陈述权、申辩权。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.twoOfficers,
    title: APL,
    instrument: APL_NO,
    article: '第四十二条',
    text:
      '行政处罚应当由具有行政执法资格的执法人员实施。执法人员不得少于两人，法律另有规定的除外。\n' +
      '执法人员应当文明执法，尊重和保护当事人合法权益。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.prePenaltyNotice,
    title: APL,
    instrument: APL_NO,
    article: '第四十四条',
    text:
      '行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，' +
      '并告知当事人依法享有的陈述、申辩、要求听证等权利。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.statementAndDefence,
    title: APL,
    instrument: APL_NO,
    article: '第四十五条',
    text:
      '当事人有权进行陈述和申辩。行政机关必须充分听取当事人的意见，对当事人提出的事实、理由和证据，应当进行复核；' +
      '当事人提出的事实、理由或者证据成立的，行政机关应当采纳。\n行政机关不得因当事人陈述、申辩而给予更重的处罚。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.publicity,
    title: APL,
    instrument: APL_NO,
    article: '第四十八条',
    text:
      '具有一定社会影响的行政处罚决定应当依法公开。\n' +
      '公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，行政机关应当在三日内撤回行政处罚决定信息并公开说明理由。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.legalReview,
    title: APL,
    instrument: APL_NO,
    article: '第五十八条',
    text:
      '有下列情形之一，在行政机关负责人作出行政处罚的决定之前，应当由从事行政处罚决定法制审核的人员进行法制审核；' +
      '未经法制审核或者审核未通过的，不得作出决定：（一）涉及重大公共利益的；' +
      '（二）直接关系当事人或者第三人重大权益，经过听证程序的；（三）案件情况疑难复杂、涉及多个法律关系的；' +
      '（四）法律、法规规定应当进行法制审核的其他情形。\n' +
      '行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.decisionDocument,
    title: APL,
    instrument: APL_NO,
    article: '第五十九条',
    text:
      '行政机关依照本法第五十七条的规定给予行政处罚，应当制作行政处罚决定书。行政处罚决定书应当载明下列事项：' +
      '（一）当事人的姓名或者名称、地址；（二）违反法律、法规、规章的事实和证据；（三）行政处罚的种类和依据；' +
      '（四）行政处罚的履行方式和期限；（五）申请行政复议、提起行政诉讼的途径和期限；' +
      '（六）作出行政处罚决定的行政机关名称和作出决定的日期。\n' +
      '行政处罚决定书必须盖有作出行政处罚决定的行政机关的印章。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.decisionWithin90Days,
    title: APL,
    instrument: APL_NO,
    article: '第六十条',
    text: '行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.service,
    title: APL,
    instrument: APL_NO,
    article: '第六十一条',
    text:
      '行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，行政机关应当在七日内依照《中华人民共和国民事诉讼法》' +
      '的有关规定，将行政处罚决定书送达当事人。\n' +
      '当事人同意并签订确认书的，行政机关可以采用传真、电子邮件等方式，将行政处罚决定书等送达当事人。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.hearingRight,
    title: APL,
    instrument: APL_NO,
    article: '第六十三条',
    text:
      '行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证：' +
      '（一）较大数额罚款；（二）没收较大数额违法所得、没收较大价值非法财物；（三）降低资质等级、吊销许可证件；' +
      '（四）责令停产停业、责令关闭、限制从业；（五）其他较重的行政处罚；（六）法律、法规、规章规定的其他情形。\n' +
      '当事人不承担行政机关组织听证的费用。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.hearingProcedure,
    title: APL,
    instrument: APL_NO,
    article: '第六十四条',
    text:
      '听证应当依照以下程序组织：（一）当事人要求听证的，应当在行政机关告知后五日内提出；' +
      '（二）行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点；' +
      '（三）除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行；' +
      '（四）听证由行政机关指定的非本案调查人员主持；当事人认为主持人与本案有直接利害关系的，有权申请回避；' +
      '（五）当事人可以亲自参加听证，也可以委托一至二人代理；' +
      '（六）当事人及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，行政机关终止听证；' +
      '（七）举行听证时，调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证；' +
      '（八）听证应当制作笔录。笔录应当交当事人或者其代理人核对无误后签字或者盖章。' +
      '当事人或者其代理人拒绝签字或者盖章的，由听证主持人在笔录中注明。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.payment,
    title: APL,
    instrument: APL_NO,
    article: '第六十七条第三款',
    text:
      '当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。' +
      '银行应当收受罚款，并将罚款直接上缴国库。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.lateFee,
    title: APL,
    instrument: APL_NO,
    article: '第七十二条第一款第（一）项',
    text:
      '当事人逾期不履行行政处罚决定的，作出行政处罚决定的行政机关可以采取下列措施：' +
      '（一）到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额；……',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.lateFeePause,
    title: APL,
    instrument: APL_NO,
    article: '第七十三条第三款',
    text: '当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在行政复议或者行政诉讼期间不予计算。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.penaltyNotSuspended,
    title: APL,
    instrument: APL_NO,
    article: '第七十三条第一款',
    text: '当事人对行政处罚决定不服，申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'remedy',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.noPenalty,
    title: APL,
    instrument: APL_NO,
    article: '第三十三条',
    text:
      '违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。\n' +
      '当事人有证据足以证明没有主观过错的，不予行政处罚。法律、行政法规另有规定的，从其规定。\n' +
      '对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.decisionAfterInvestigation,
    title: APL,
    instrument: APL_NO,
    article: '第五十七条',
    text:
      '调查终结，行政机关负责人应当对调查结果进行审查，根据不同情况，分别作出如下决定：' +
      '（一）确有应受行政处罚的违法行为的，根据情节轻重及具体情况，作出行政处罚决定；' +
      '（二）违法行为轻微，依法可以不予行政处罚的，不予行政处罚；（三）违法事实不能成立的，不予行政处罚；' +
      '（四）违法行为涉嫌犯罪的，移送司法机关。\n' +
      '对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.workingDays,
    title: APL,
    instrument: APL_NO,
    article: '第八十五条',
    text: '本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。',
    validFrom: APL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },

  // ── Remedies named in the decision (Art. 59(5)) ─────────────────────────────────────────────
  {
    code: BASIS.reconsiderationBefore2024,
    title: '《中华人民共和国行政复议法》',
    instrument: '1999年4月29日第九届全国人民代表大会常务委员会第九次会议通过（2017年修正）',
    article: '第九条第一款',
    text:
      '公民、法人或者其他组织认为具体行政行为侵犯其合法权益的，可以自知道该具体行政行为之日起六十日内' +
      '提出行政复议申请；但是法律规定的申请期限超过六十日的除外。',
    validFrom: '1999-10-01',
    validTo: '2023-12-31',
    role: 'remedy',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.reconsideration,
    title: '《中华人民共和国行政复议法》',
    instrument: '2023年9月1日第十四届全国人民代表大会常务委员会第五次会议修订',
    article: '第二十条第一款',
    text:
      '公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内' +
      '提出行政复议申请；但是法律规定的申请期限超过六十日的除外。',
    validFrom: '2024-01-01',
    validTo: null,
    role: 'remedy',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.lawsuit,
    title: '《中华人民共和国行政诉讼法》',
    instrument: '2017年6月27日第十二届全国人民代表大会常务委员会第二十八次会议第二次修正',
    article: '第四十六条第一款',
    text:
      '公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。' +
      '法律另有规定的除外。',
    validFrom: '2015-05-01',
    validTo: null,
    role: 'remedy',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.reconsiderationBody,
    title: '《中华人民共和国行政复议法》',
    instrument: '2023年9月1日第十四届全国人民代表大会常务委员会第五次会议修订',
    article: '第二十四条第一款第（一）项',
    text: '县级以上地方各级人民政府管辖下列行政复议案件：（一）对本级人民政府工作部门作出的行政行为不服的；……',
    validFrom: '2024-01-01',
    validTo: null,
    role: 'remedy',
    violationTypes: [],
    penalty: null,
  },

  // ── 《中华人民共和国行政强制法》: compulsory execution through the court ────────────────────────
  {
    code: BASIS.courtExecution,
    title: ACL,
    instrument: ACL_NO,
    article: '第五十三条',
    text:
      '当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，没有行政强制执行权的行政机关可以自期限' +
      '届满之日起三个月内，依照本章规定申请人民法院强制执行。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.executionDemand,
    title: ACL,
    instrument: ACL_NO,
    article: '第五十四条',
    text:
      '行政机关申请人民法院强制执行前，应当催告当事人履行义务。催告书送达十日后当事人仍未履行义务的，行政机关可以向' +
      '所在地有管辖权的人民法院申请强制执行；执行对象是不动产的，向不动产所在地有管辖权的人民法院申请强制执行。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.demandContents,
    title: ACL,
    instrument: ACL_NO,
    article: '第三十五条',
    text:
      '行政机关作出强制执行决定前，应当事先催告当事人履行义务。催告应当以书面形式作出，并载明下列事项：' +
      '（一）履行义务的期限；（二）履行义务的方式；（三）涉及金钱给付的，应当有明确的金额和给付方式；' +
      '（四）当事人依法享有的陈述权和申辩权。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.demandDefence,
    title: ACL,
    instrument: ACL_NO,
    article: '第三十六条',
    text:
      '当事人收到催告书后有权进行陈述和申辩。行政机关应当充分听取当事人的意见，对当事人提出的事实、理由和证据，' +
      '应当进行记录、复核。当事人提出的事实、理由或者证据成立的，行政机关应当采纳。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.courtApplicationMaterials,
    title: ACL,
    instrument: ACL_NO,
    article: '第五十五条',
    text:
      '行政机关向人民法院申请强制执行，应当提供下列材料：（一）强制执行申请书；' +
      '（二）行政决定书及作出决定的事实、理由和依据；（三）当事人的意见及行政机关催告情况；' +
      '（四）申请强制执行标的情况；（五）法律、行政法规规定的其他材料。\n' +
      '强制执行申请书应当由行政机关负责人签名，加盖行政机关的印章，并注明日期。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
  {
    code: BASIS.enforcementWorkingDays,
    title: ACL,
    instrument: ACL_NO,
    article: '第六十九条',
    text: '本法中十日以内期限的规定是指工作日，不含法定节假日。',
    validFrom: ACL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },

  // ── 《中华人民共和国民事诉讼法》: service by announcement, which 行政处罚法 Art. 61 applies ───────────────
  {
    code: BASIS.serviceByAnnouncement,
    title: CPL,
    instrument: CPL_NO,
    article: '第九十五条',
    text:
      '受送达人下落不明，或者用本节规定的其他方式无法送达的，公告送达。自发出公告之日起，经过三十日，即视为送达。\n' +
      '公告送达，应当在案卷中记明原因和经过。',
    validFrom: CPL_FROM,
    validTo: null,
    role: 'procedure',
    violationTypes: [],
    penalty: null,
  },
];

/** The catalogue entry of `code` (the version in force on `onDate`, else the latest), or undefined. */
function entryOf(code: string, onDate: IsoDate | undefined, catalogue: readonly LegalArticle[]) {
  return onDate
    ? basisInForce(catalogue, code, onDate)
    : catalogue.filter((e) => e.code === code).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
}

/**
 * A citation in running text of shipped provisions of one act, from the catalogue — the act's title and each
 * article as the catalogue words it, joined by 、 (《中华人民共和国行政强制法》第三十五条、第五十四条) — so that a
 * document citing it always names provisions the catalogue has. Throws for a code it lacks or for codes of two acts.
 */
export function basisCitation(...codes: BasisCode[]): string {
  const entries = codes.map((code) => {
    const entry = entryOf(code, undefined, LEGAL_BASIS_CATALOGUE);
    if (!entry)
      throw new DomainError('rule_violation', 'basis_unknown', `legal basis ${code} is not in the catalogue`);
    return entry;
  });
  const title = entries[0]?.title ?? '';
  if (entries.some((e) => e.title !== title)) {
    throw new DomainError('rule_violation', 'basis_of_two_acts', `${codes.join(', ')} are not of one act`);
  }
  return `${title}${entries.map((e) => e.article).join('、')}`;
}

/** The article alone (第五十七条), for a citation continuing one already naming its act. */
export const basisArticle = (code: BasisCode): string =>
  basisCitation(code).slice(entryOf(code, undefined, LEGAL_BASIS_CATALOGUE)?.title.length ?? 0);

/**
 * The citation of `code`: the version in force on `onDate` when a date is given, else the latest version.
 * Throws when there is none: citing a provision the catalogue lacks is a programming or data error.
 */
export function basisRef(
  code: string,
  onDate?: IsoDate,
  catalogue: readonly LegalArticle[] = LEGAL_BASIS_CATALOGUE,
): LegalRef {
  const entry = entryOf(code, onDate, catalogue);
  if (!entry) {
    throw new DomainError(
      'rule_violation',
      'basis_not_in_force',
      `legal basis ${code} is not in the catalogue${onDate ? ` in force on ${onDate}` : ''}`,
      { code, onDate },
    );
  }
  return refOf(entry);
}
