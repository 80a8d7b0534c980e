import { DomainError, type IsoDate } from '@ecc/shared-kernel';
import { type HomeAuthorityReport } from './deciding-authority';
import { type OutcomeKind } from './four-penalties.types';

/** The decision of a counted trip: what makes it a confirmed violation. */
export interface ReportedDecision {
  /** 决定书文号; null when the decision's document is not in the system (an imported history). */
  documentNumber: string | null;
  /** The penalty decided, as it prints (罚款人民币2000元); null when not recorded. */
  penalty: string | null;
  decidedOn: IsoDate;
}

/** A counted trip as the report lists it. */
export interface ReportedCase {
  caseId: string;
  /** 案号; null while the case has none (the current trip before filing). */
  caseNumber: string | null;
  violationDate: IsoDate;
  plate: string | null;
  /** null while undecided (only the current trip may be). */
  decision: ReportedDecision | null;
}

export interface HomeAuthorityReportContext {
  /** The reporting authority (the bureau's name as on its documents). */
  authority: string;
  issuedOn: IsoDate;
  /** The home authority by name as the registry records it; null: addressed by its division code. */
  addressee: string | null;
  party: { name: string; idNumber: string | null; kind?: 'person' | 'organisation' };
  /** Every case the count rests on, the current one included. */
  cases: ReportedCase[];
}

const MEASURE: Partial<Record<OutcomeKind, string>> = {
  order_stop_transport: '责令停止从事营业性运输',
  business_suspension: '责令停业整顿',
  licence_revocation: '吊销道路运输经营许可证',
  certificate_revocation: '吊销车辆营运证',
};

function measureOf(report: HomeAuthorityReport): string {
  return MEASURE[report.measure] ?? report.measure;
}

function countOf(report: HomeAuthorityReport): string {
  const c = report.counts;
  if (c.measure === 'enterprise_vehicles') {
    return `一年内违法超限运输的货运车辆${c.count}辆，超过本单位货运车辆总数${c.fleetSizeOnDate ?? '—'}辆的10%`;
  }
  return `一年内违法超限运输${c.count}次，超过${c.threshold}次`;
}

const ROLE: Record<HomeAuthorityReport['role'], string> = {
  vehicle: '车辆所有人',
  driver: '驾驶人',
  enterprise: '道路运输企业',
  source_unit: '货运源头单位',
};

const chineseDate = (d: IsoDate) => {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};

/** The title the report prints under (its document kind's form name). */
export const HOME_AUTHORITY_REPORT_TITLE = '违法超限运输情况抄告函';

/** The report as one text: its title, then its lines (the form stored on the vehicle case's plan). */
export const homeAuthorityReportText = (
  report: HomeAuthorityReport,
  ctx: HomeAuthorityReportContext,
): string => [HOME_AUTHORITY_REPORT_TITLE, ...homeAuthorityReportLines(report, ctx)].join('\n');

/**
 * 抄告函 of an Art. 66 measure the bureau may not decide itself: the party registered elsewhere, the measure its
 * count reaches, the count with the rule that produced it, every counted case, and the request that the home
 * authority decide it (《超限运输车辆行驶公路管理规定》 Art. 46). It decides nothing; it lists the cases it counted
 * with the decision that confirmed each, and refuses to be written without each of them. Addressed to the home
 * authority by name when the registry knows it; it ends with the bureau and the date, where the seal goes.
 */
export function homeAuthorityReportLines(
  report: HomeAuthorityReport,
  ctx: HomeAuthorityReportContext,
): string[] {
  const byId = new Map(ctx.cases.map((c) => [c.caseId, c]));
  const missing = report.countedCaseIds.filter((id) => !byId.has(id));
  if (missing.length) {
    throw new DomainError(
      'rule_violation',
      'report_cases_missing',
      `the report counts cases it was not given: ${missing.join(', ')}`,
      { missing },
    );
  }
  const kind = ctx.party.kind ?? (report.role === 'driver' ? 'person' : 'organisation');
  const idLabel = kind === 'person' ? '身份证号' : '统一社会信用代码';
  const party = `${ctx.party.name}（${idLabel}：${ctx.party.idNumber ?? '—'}）`;
  const listed = report.countedCaseIds.map((id, i) => {
    const c = byId.get(id)!;
    const plate = c.plate ?? '—';
    const trip =
      id === report.parentCaseId
        ? `本案（${c.caseNumber ? `${c.caseNumber}，` : ''}${c.violationDate}，${plate}）`
        : `${c.caseNumber ?? `案件${id}`}，${c.violationDate}，${plate}`;
    return `${i + 1}. ${trip}，${decisionOf(c.decision)}`;
  });
  const basis = report.basis.map((b) => b.article).join('、');
  return [
    `${ctx.addressee ?? `登记地（行政区划代码${report.divisionCode}）道路运输管理机构`}：`,
    `经查，${ROLE[report.role]}${party}${countOf(report)}，已达到《公路安全保护条例》第六十六条规定的${measureOf(report)}的情形。`,
    `该当事人的登记地（行政区划代码${report.divisionCode}）不在本局管辖区域，依据${basis}，上述处理应由登记地道路运输管理机构作出。现将有关情况抄告贵单位，请依法处理。`,
    `计数规则：${report.counts.rule.description}（本局执法政策）。`,
    '计入的违法超限运输案件：',
    ...listed,
    `${ctx.authority}\u3000${chineseDate(ctx.issuedOn)}`,
  ];
}

function decisionOf(d: ReportedDecision | null): string {
  if (!d) return '尚未作出处罚决定';
  const what = [d.documentNumber, d.penalty].filter((x): x is string => !!x).join('，');
  return `${chineseDate(d.decidedOn)}作出处罚决定${what ? `（${what}）` : ''}`;
}
