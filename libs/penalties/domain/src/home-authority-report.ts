import { DomainError, type IsoDate } from '@ecc/shared-kernel';
import { type HomeAuthorityReport } from './deciding-authority';
import { type OutcomeKind } from './four-penalties.types';

/** A counted trip as the report lists it. */
export interface ReportedCase {
  caseId: string;
  /** 案号; null while the case has none (the current trip before filing). */
  caseNumber: string | null;
  violationDate: IsoDate;
  plate: string | null;
}

export interface HomeAuthorityReportContext {
  /** The reporting authority (the bureau's name as on its documents). */
  authority: string;
  issuedOn: IsoDate;
  party: { name: string; idNumber: string | null; kind?: 'person' | 'organisation' };
  /** Every case the count rests on, the current one included. */
  cases: ReportedCase[];
}

const MEASURE: Partial<Record<OutcomeKind, string>> = {
  order_stop_transport: '责令停止从事营业性运输',
  suspend_business: '责令停业整顿',
};

function measureOf(report: HomeAuthorityReport): string {
  if (report.measure === 'revoke_certificate') {
    return report.role === 'enterprise' ? '吊销道路运输经营许可证' : '吊销车辆营运证';
  }
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

/**
 * 抄告函 of an Art. 66 measure the bureau may not decide itself: the party registered elsewhere, the measure its
 * count reaches, the count with the rule that produced it, every counted case, and the request that the home
 * authority decide it (《超限运输车辆行驶公路管理规定》 Art. 46). It decides nothing; it lists the cases it counted,
 * and refuses to be written without each of them.
 */
export function homeAuthorityReportText(
  report: HomeAuthorityReport,
  ctx: HomeAuthorityReportContext,
): string {
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
    return id === report.parentCaseId
      ? `${i + 1}. 本案（${c.violationDate}，${plate}）`
      : `${i + 1}. ${c.caseNumber ?? `案件${id}`}，${c.violationDate}，${plate}`;
  });
  const basis = report.basis.map((b) => b.article).join('、');
  return [
    '违法超限运输情况抄告函',
    `登记地（行政区划代码${report.divisionCode}）道路运输管理机构：`,
    `经查，${ROLE[report.role]}${party}${countOf(report)}，已达到《公路安全保护条例》第六十六条规定的${measureOf(report)}的情形。`,
    `该当事人的登记地不在本局管辖区域，依据${basis}，上述处理应由登记地道路运输管理机构作出。现将有关情况抄告贵单位，请依法处理。`,
    `计数规则：${report.counts.rule.description}（本局执法政策）。`,
    '计入的违法超限运输案件：',
    ...listed,
    ctx.authority,
    chineseDate(ctx.issuedOn),
  ].join('\n');
}
