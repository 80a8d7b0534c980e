import { BASIS, basisCitation } from '@ecc/legal-domain';
import { type IsoDate } from '@ecc/shared-kernel';
import { type SourceUnitReferral } from './deciding-authority';
import { FOUR_PENALTIES_RULES } from './four-penalties.rules';

/** The trip the referral is about, and the unit, as the register holds them. */
export interface SourceUnitReferralContext {
  /** The reporting authority (the bureau's name as on its documents). */
  authority: string;
  issuedOn: IsoDate;
  unit: { name: string; idNumber: string | null };
  trip: {
    caseNumber: string | null;
    violationDate: IsoDate;
    plate: string;
    station: string | null;
    loadingSlipNo: string | null;
  };
}

const chineseDate = (d: IsoDate) => {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};

/**
 * 抄告函 of a cargo source unit whose site lies outside the divisions the bureau serves: the violation took place
 * where the unit loaded the vehicle, and the authority there is competent (行政处罚法 Art. 22; 湖南条例 Art. 30:
 * the county's 交通运输主管部门). It decides nothing. Within Hunan it names the duty of 湖南条例 Art. 13 and the
 * order of Art. 30; outside Hunan the Hunan regulation does not reach the unit, and the referral cites none of
 * it: the authority there applies the rules in force where it is. A unit found to have instructed the overload is
 * referred under 《公路安全保护条例》 Art. 68, which applies everywhere.
 */
export function sourceUnitReferralLines(
  referral: SourceUnitReferral,
  ctx: SourceUnitReferralContext,
): string[] {
  const t = ctx.trip;
  const unit = `${ctx.unit.name}（统一社会信用代码：${ctx.unit.idNumber ?? '—'}）`;
  const instructed = referral.ruleCode === FOUR_PENALTIES_RULES.sourceUnitInstructed;
  const cited = referral.basis.map((b) => b.article).join('、');
  const conduct = instructed
    ? `经调查，该单位指使、强令驾驶人超限运输货物`
    : `该车所载货物由该单位装载${t.loadingSlipNo ? `（装载单号：${t.loadingSlipNo}）` : ''}`;
  const [violated, ...sanction] = referral.basis.map((b) => b.article);
  const outsideHunan =
    '该单位装载场所不在湖南省行政区域内，《湖南省治理货物运输车辆超限超载条例》不适用于该单位';
  const law = instructed
    ? `上述行为涉嫌违反${cited}的规定${referral.withinHunan ? '' : `；${outsideHunan}`}。`
    : referral.withinHunan
      ? `上述行为涉嫌违反${violated}的规定${sanction.length ? `，依${sanction.join('、')}应责令限期改正` : ''}。`
      : `${outsideHunan}，请依当地规定处理。`;
  return [
    `行政区划代码${referral.divisionCode}所在地交通运输主管部门：`,
    `${chineseDate(t.violationDate)}，车辆${t.plate}${t.station ? `途经${t.station}` : ''}，经检测违法超限运输` +
      `${t.caseNumber ? `（案号：${t.caseNumber}）` : ''}。货运源头单位${unit}的装载场所位于行政区划代码` +
      `${referral.divisionCode}，${conduct}。`,
    law,
    `违法行为发生地不在本局管辖区域，依据${basisCitation(BASIS.territorialJurisdiction)}，应由违法行为发生地的行政机关管辖。` +
      '现将有关情况抄告贵单位，请依法处理。',
    `${ctx.authority}\u3000${chineseDate(ctx.issuedOn)}`,
  ];
}
