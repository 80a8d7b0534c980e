import type { CaseType } from '@ecc/cases-domain';
import type { PartyKind, PenaltyKind } from '@ecc/legal-domain';

/**
 * The figures of the statistics (统计指标): each with the definition it uses — what is counted, on which event's
 * day it falls in the period — returned with every answer and written out in docs/statistics.md.
 *
 * The rule throughout: a flow figure falls in the period that holds its own event (a case filed in December and
 * decided in January counts as filed in December and decided in January); a stock figure (outstanding fines,
 * open cases) is taken at the end of the period's last day. Days are the bureau's (BUREAU_TIMEZONE).
 */

export const STATISTICS_GROUPS = ['month', 'station', 'caseType', 'officer'] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];

export type FigureUnit = 'count' | 'yuan' | 'days' | 'score';

export interface FigureDefinition {
  key: string;
  section: string;
  /** the label a report prints */
  label: string;
  unit: FigureUnit;
  definition: string;
  /** the groupings it can be broken down by (always given in the total) */
  groups: readonly StatisticsGroup[];
}

export const SECTIONS: Record<string, string> = {
  detections: '检测记录',
  leads: '线索审核',
  notices: '短信告知与信息推送',
  fences: '电子围栏与拦截',
  cases: '案件办理',
  fines: '罚款',
  penalties: '一超四罚',
  reports: '抄告',
  hearings: '听证',
  legalReviews: '法制审核',
  durations: '办案时长',
  deadlines: '期限',
  evaluations: '案卷评查',
};

export const DETECTION_OUTCOMES = {
  lead: '形成线索',
  no_violation: '未超限',
  invalid: '无效数据',
  duplicate: '重复过车',
  pending: '待筛查',
} as const;

export const CASE_TYPES = {
  vehicle: '车辆（所有人/经营者）',
  driver: '驾驶人',
  enterprise: '道路运输企业',
  source_unit: '货运源头单位',
  vehicle_certificate: '车辆营运证',
} as const satisfies Record<CaseType, string>;

export const PENALTY_KINDS = {
  warning: '警告',
  fine: '罚款',
  order_stop_transport: '责令停止从事营业性运输',
  business_suspension: '责令停业整顿',
  licence_revocation: '吊销经营许可证',
  certificate_revocation: '吊销车辆营运证',
} as const satisfies Record<PenaltyKind, string>;

export const PARTY_KINDS = { person: '自然人', organisation: '单位' } as const satisfies Record<
  PartyKind,
  string
>;

export const NOTICE_CHANNELS = { sms: '短信告知', push: '信息推送' } as const;

export const DEADLINE_KINDS = {
  response_window: '告知回应期限',
  hearing_request_window: '听证申请期限（5个工作日）',
  statement_window: '陈述申辩期限',
  decision_due: '立案后90日内作出决定',
  service_due: '决定后7个工作日内送达',
  payment_due: '送达后15日内缴纳罚款',
  home_authority_report_due: '结案后7个工作日内抄告',
  publicity_due: '公示期限',
} as const;

/** The stages whose durations are measured, each from its start event to its end event. */
export const STAGES = {
  leadToNotice: {
    label: '线索形成→短信告知',
    from: 'the lead is formed',
    to: 'the first SMS notice of the lead is sent',
  },
  noticeToFiling: {
    label: '短信告知→立案',
    from: 'the first SMS notice of the lead is sent',
    to: 'the case is filed',
  },
  filingToDecision: { label: '立案→作出决定', from: 'the case is filed', to: 'the decision is made' },
  decisionToService: { label: '作出决定→送达', from: 'the decision is made', to: 'the decision is served' },
  serviceToPayment: {
    label: '送达→缴清罚款',
    from: 'the decision is served',
    to: 'the fine is paid in full',
  },
  paymentToClosing: { label: '缴清罚款→结案', from: 'the fine is paid in full', to: 'the case is closed' },
} as const;
export type Stage = keyof typeof STAGES;

/** Score bands of the evaluation distribution: [from, below). */
export const SCORE_BANDS: readonly (readonly [number, number])[] = [
  [0, 60],
  [60, 70],
  [70, 80],
  [80, 90],
  [90, 101],
];

const ALL: readonly StatisticsGroup[] = STATISTICS_GROUPS;
const BY_STATION: readonly StatisticsGroup[] = ['month', 'station'];
const NOT_BY_MONTH: readonly StatisticsGroup[] = ['station', 'caseType', 'officer'];
/** How the percentiles are taken from the kept histograms (docs/statistics.md, "Durations"). */
const HISTOGRAM = 'over buckets of a hundredth of a day, the values of a bucket evenly spread over it';
const CASE_EVENT = (event: string) =>
  `${event} in the period (each sub-case of 一超四罚 is a case of its own type); by officer, a case counts once for each of its officers`;

function figure(
  section: string,
  key: string,
  label: string,
  unit: FigureUnit,
  definition: string,
  groups: readonly StatisticsGroup[],
): FigureDefinition {
  return { key: `${section}.${key}`, section, label, unit, definition, groups };
}

export const FIGURES: readonly FigureDefinition[] = [
  figure(
    'detections',
    'total',
    '检测记录',
    'count',
    'Detections whose detection time falls in the period.',
    BY_STATION,
  ),
  ...Object.entries(DETECTION_OUTCOMES).map(([outcome, label]) =>
    figure(
      'detections',
      outcome,
      `检测记录：${label}`,
      'count',
      outcome === 'pending'
        ? 'Detections of the period not screened yet.'
        : `Detections of the period that screening found: ${outcome.replace('_', ' ')}.`,
      BY_STATION,
    ),
  ),
  figure(
    'leads',
    'formed',
    '形成线索',
    'count',
    'Leads whose violation (detection) time falls in the period.',
    BY_STATION,
  ),
  figure(
    'leads',
    'confirmed',
    '线索审核确认',
    'count',
    'Leads an officer confirmed (线索审核, 行政处罚法 Art. 41) with the review time in the period; by officer: the reviewing officer.',
    ['month', 'station', 'officer'],
  ),
  figure(
    'leads',
    'rejected',
    '线索审核不予采用',
    'count',
    'Leads an officer rejected with the review time in the period (the reasons: `rejectionReasons`); by officer: the reviewing officer.',
    ['month', 'station', 'officer'],
  ),
  ...Object.entries(NOTICE_CHANNELS).flatMap(([channel, label]) => [
    figure(
      'notices',
      `${channel}.created`,
      `${label}：生成`,
      'count',
      `${label} (${channel}) notices created in the period.`,
      ['month', 'station', 'caseType'],
    ),
    figure(
      'notices',
      `${channel}.sent`,
      `${label}：已发出`,
      'count',
      `Of those, accepted by the provider (sent).`,
      ['month', 'station', 'caseType'],
    ),
    figure(
      'notices',
      `${channel}.delivered`,
      `${label}：已送达`,
      'count',
      `Of those, with a delivery receipt (SMS) or a 2xx answer (push).`,
      ['month', 'station', 'caseType'],
    ),
    figure('notices', `${channel}.failed`, `${label}：失败`, 'count', `Of those, failed for good.`, [
      'month',
      'station',
      'caseType',
    ]),
  ]),
  figure(
    'fences',
    'deployed',
    '电子围栏布控',
    'count',
    'Fences deployed (created) in the period; by station: the station of the lead.',
    BY_STATION,
  ),
  figure('fences', 'lifted', '撤销布控', 'count', 'Fences lifted in the period.', BY_STATION),
  figure(
    'fences',
    'interceptions',
    '拦截预警',
    'count',
    'Interception alerts raised in the period; by station: the station that detected the fenced vehicle.',
    BY_STATION,
  ),
  figure(
    'fences',
    'interceptionsAcknowledged',
    '拦截预警已处置',
    'count',
    'Of those, acknowledged by the duty team.',
    BY_STATION,
  ),
  figure('cases', 'filed', '立案', 'count', CASE_EVENT('Cases filed (立案 approved)'), ALL),
  figure(
    'cases',
    'notFiled',
    '不予立案',
    'count',
    CASE_EVENT('Filing refused by the approver (不予立案)'),
    ALL,
  ),
  figure(
    'cases',
    'decided',
    '作出处罚决定',
    'count',
    CASE_EVENT('Decisions made (行政处罚决定, Art. 59)'),
    ALL,
  ),
  figure('cases', 'served', '决定送达', 'count', CASE_EVENT('Decisions served (Art. 61)'), ALL),
  figure('cases', 'closed', '结案', 'count', CASE_EVENT('Cases closed (结案)'), ALL),
  figure('cases', 'terminated', '撤销案件', 'count', CASE_EVENT('Cases terminated (撤销案件)'), ALL),
  figure(
    'cases',
    'openAtEnd',
    '期末在办案件',
    'count',
    'Cases filed by the end of the period and neither closed nor terminated by then (a stock: not by month).',
    NOT_BY_MONTH,
  ),
  figure('fines', 'imposedCount', '罚款决定', 'count', CASE_EVENT('Decisions imposing a fine'), ALL),
  figure('fines', 'imposed', '罚款金额', 'yuan', CASE_EVENT('The fines of those decisions, yuan'), ALL),
  figure(
    'fines',
    'collected',
    '已缴罚款',
    'yuan',
    CASE_EVENT('Fines paid (the principal of each payment), yuan, by payment time'),
    ALL,
  ),
  figure(
    'fines',
    'lateFees',
    '加处罚款',
    'yuan',
    CASE_EVENT('Late fees paid (加处罚款, 行政处罚法 Art. 72), yuan, by payment time'),
    ALL,
  ),
  figure(
    'fines',
    'outstanding',
    '期末未缴罚款',
    'yuan',
    'Fines decided by the end of the period less what was paid of them by then, of cases not terminated by then, yuan (a stock: not by month).',
    NOT_BY_MONTH,
  ),
  ...Object.entries(PENALTY_KINDS).flatMap(([kind, label]) => [
    figure(
      'penalties',
      kind,
      label,
      'count',
      CASE_EVENT(`Decisions imposing ${kind.replace(/_/g, ' ')}`),
      ALL,
    ),
    ...Object.entries(PARTY_KINDS).map(([party, partyLabel]) =>
      figure(
        'penalties',
        `${kind}.${party}`,
        `${label}（${partyLabel}）`,
        'count',
        `Of those, on a ${party} (the party the case penalises: owner, driver, enterprise or source unit by case type).`,
        ALL,
      ),
    ),
  ]),
  figure(
    'reports',
    'homeAuthority',
    '抄告车籍地',
    'count',
    CASE_EVENT('Reports (抄告) to the home road-transport authority recorded (超限规定 Art. 44)'),
    ALL,
  ),
  figure(
    'hearings',
    'requested',
    '申请听证',
    'count',
    CASE_EVENT('Hearing requests received (Art. 64)'),
    ALL,
  ),
  figure('hearings', 'held', '举行听证', 'count', CASE_EVENT('Hearings held'), ALL),
  figure(
    'legalReviews',
    'performed',
    '法制审核',
    'count',
    CASE_EVENT('Legal reviews answered (法制审核, Art. 58), passed or returned'),
    ALL,
  ),
  figure('legalReviews', 'passed', '法制审核通过', 'count', CASE_EVENT('Legal reviews passed'), ALL),
  figure(
    'legalReviews',
    'returned',
    '法制审核退回',
    'count',
    CASE_EVENT('Legal reviews returned with opinions'),
    ALL,
  ),
  ...Object.entries(STAGES).flatMap(([stage, s]) => {
    const groups = stage === 'leadToNotice' ? BY_STATION : ALL;
    return [
      figure(
        'durations',
        `${stage}.count`,
        `${s.label}：件数`,
        'count',
        `${stage === 'leadToNotice' ? 'Leads' : 'Cases'} in which ${s.to} in the period, measured from when ${s.from}.`,
        groups,
      ),
      figure(
        'durations',
        `${stage}.median`,
        `${s.label}：中位数（日）`,
        'days',
        `The median of those durations, in calendar days (percentile_cont 0.5 ${HISTOGRAM}); null when none.`,
        groups,
      ),
      figure(
        'durations',
        `${stage}.p90`,
        `${s.label}：90%分位（日）`,
        'days',
        `The 90th percentile of those durations, in calendar days (percentile_cont 0.9 ${HISTOGRAM}); null when none.`,
        groups,
      ),
    ];
  }),
  figure(
    'deadlines',
    'met',
    '期限内完成',
    'count',
    CASE_EVENT('Deadlines whose last instant falls in the period and that were met'),
    ALL,
  ),
  figure(
    'deadlines',
    'missed',
    '逾期',
    'count',
    CASE_EVENT('Deadlines whose last instant falls in the period and that were missed'),
    ALL,
  ),
  ...Object.entries(DEADLINE_KINDS).flatMap(([kind, label]) => [
    figure(
      'deadlines',
      `${kind}.met`,
      `${label}：按期`,
      'count',
      `Of the deadlines met: ${kind.replace(/_/g, ' ')}.`,
      ALL,
    ),
    figure(
      'deadlines',
      `${kind}.missed`,
      `${label}：逾期`,
      'count',
      `Of the deadlines missed: ${kind.replace(/_/g, ' ')}.`,
      ALL,
    ),
  ]),
  ...(['review', 'precheck'] as const).flatMap((kind) => {
    const what = kind === 'review' ? '案卷评查（抽查）' : '结案前自动评查';
    const rows =
      kind === 'review'
        ? "auditors' case-file evaluations (案卷评查 spot checks)"
        : 'automatic case-file checks recorded at closing';
    return [
      figure('evaluations', `${kind}.count`, `${what}：案卷数`, 'count', CASE_EVENT(`The ${rows} made`), ALL),
      figure(
        'evaluations',
        `${kind}.average`,
        `${what}：平均分`,
        'score',
        'Their average score; null when none.',
        ALL,
      ),
      figure(
        'evaluations',
        `${kind}.excellent`,
        `${what}：优秀（90分以上）`,
        'count',
        'Of those, scoring at least the excellent bound of the case_file_evaluation policy (90 by default).',
        ALL,
      ),
      figure(
        'evaluations',
        `${kind}.good`,
        `${what}：良好`,
        'count',
        'Scoring at least the good bound (80) and below excellent.',
        ALL,
      ),
      figure(
        'evaluations',
        `${kind}.qualified`,
        `${what}：合格`,
        'count',
        'Scoring at least the qualified bound (60) and below good.',
        ALL,
      ),
      figure(
        'evaluations',
        `${kind}.unqualified`,
        `${what}：不合格`,
        'count',
        'Scoring below the qualified bound.',
        ALL,
      ),
      ...SCORE_BANDS.map(([lo, hi]) =>
        figure(
          'evaluations',
          `${kind}.band${lo}`,
          `${what}：${hi === 101 ? '90-100' : lo === 0 ? '60分以下' : `${lo}-${hi! - 1}`}分`,
          'count',
          `Score distribution: scores from ${lo} to below ${hi === 101 ? '100 inclusive' : hi}.`,
          ALL,
        ),
      ),
    ];
  }),
];

export const FIGURE_KEYS = new Set(FIGURES.map((f) => f.key));
