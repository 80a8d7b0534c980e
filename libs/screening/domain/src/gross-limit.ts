import { BASIS } from '@ecc/legal-domain';
import { defaultCite, type Cite } from './cite';
import type { AppliedRule, AxleConfiguration } from './screening.types';
import { kg } from './format';

/** 《超限运输车辆行驶公路管理规定》 Art. 3(1)(四)–(八): gross-mass limits by axle configuration. */
export const GROSS_LIMITS_KG = {
  twoAxleTruck: 18_000,
  threeAxleTruck: 25_000,
  threeAxleCombination: 27_000,
  fourAxleTruck: 31_000,
  fourAxleCombination: 36_000,
  fiveAxleCombination: 43_000,
  sixPlusAxleCombination: 49_000,
  sixPlusAxleCombinationSingleDrive: 46_000,
} as const;

/** Art. 3(2)(二): per non-drive axle with single tyres each side, unless wide-base tyres. */
export const SINGLE_TYRE_REDUCTION_KG = 3_000;

/**
 * Art. 3(2)(五) with GB 1589-2016 (4.3, note to the mass table): a 3- or 4-axle truck whose drive axle has dual
 * tyres each side and air suspension may weigh 1,000 kg more. To be confirmed against the standard's text.
 */
export const AIR_SUSPENSION_ALLOWANCE_KG = 1_000;

export type GrossLimitResult =
  | { ok: true; limitKg: number; rules: AppliedRule[] }
  | {
      ok: false;
      code: 'axle_config_not_covered' | 'single_tyre_axles_invalid' | 'licensed_mass_unknown';
      message: string;
      rules: AppliedRule[];
    };

interface TableRow {
  limitKg: number;
  item: string;
  label: string;
}

function tableRow(v: AxleConfiguration): TableRow | null {
  const n = v.axleCount;
  if (!v.combination) {
    if (n === 2) return { limitKg: GROSS_LIMITS_KG.twoAxleTruck, item: '（四）', label: '二轴货车' };
    if (n === 3) return { limitKg: GROSS_LIMITS_KG.threeAxleTruck, item: '（五）', label: '三轴货车' };
    if (n === 4) return { limitKg: GROSS_LIMITS_KG.fourAxleTruck, item: '（六）', label: '四轴货车' };
    return null; // single vehicles with 1 or 5+ axles are not in the table
  }
  if (n === 3)
    return { limitKg: GROSS_LIMITS_KG.threeAxleCombination, item: '（五）', label: '三轴汽车列车' };
  if (n === 4) return { limitKg: GROSS_LIMITS_KG.fourAxleCombination, item: '（六）', label: '四轴汽车列车' };
  if (n === 5) return { limitKg: GROSS_LIMITS_KG.fiveAxleCombination, item: '（七）', label: '五轴汽车列车' };
  if (n >= 6) {
    return v.singleDriveAxle
      ? {
          limitKg: GROSS_LIMITS_KG.sixPlusAxleCombinationSingleDrive,
          item: '（八）',
          label: '六轴及六轴以上汽车列车（牵引车驱动轴为单轴）',
        }
      : { limitKg: GROSS_LIMITS_KG.sixPlusAxleCombination, item: '（八）', label: '六轴及六轴以上汽车列车' };
  }
  return null; // a combination has at least 3 axles
}

/**
 * The gross-mass limit (限定标准) of a vehicle, with the rules applied.
 * Configurations the regulation does not list are refused, not guessed.
 */
export function grossLimit(vehicle: AxleConfiguration, cite: Cite = defaultCite): GrossLimitResult {
  const basis = cite(BASIS.overloadLimits);
  const vehicleClass = vehicle.vehicleClass ?? 'goods_vehicle';

  if (vehicleClass !== 'goods_vehicle') {
    // Art. 3(2)(四): 拖拉机、农用车、低速货车 — the licensed total mass is the limit.
    const licensed = vehicle.licensedTotalMassKg;
    if (licensed === undefined || !Number.isInteger(licensed) || licensed <= 0) {
      return {
        ok: false,
        code: 'licensed_mass_unknown',
        message: '拖拉机、农用车、低速货车以行驶证核定的总质量为限定标准，但未提供核定总质量',
        rules: [],
      };
    }
    return {
      ok: true,
      limitKg: licensed,
      rules: [
        {
          rule: 'gross_limit.licensed_total_mass',
          description: `拖拉机、农用车、低速货车以行驶证核定的总质量为限定标准：${kg(licensed)} 千克`,
          source: 'law',
          basis,
        },
      ],
    };
  }

  if (!Number.isInteger(vehicle.axleCount) || vehicle.axleCount < 1) {
    return {
      ok: false,
      code: 'axle_config_not_covered',
      message: `轴数无效：${vehicle.axleCount}`,
      rules: [],
    };
  }
  const row = tableRow(vehicle);
  if (!row) {
    return {
      ok: false,
      code: 'axle_config_not_covered',
      message: `${vehicle.axleCount} 轴${vehicle.combination ? '汽车列车' : '货车'}不在第三条限定标准表内，无法确定限定标准`,
      rules: [],
    };
  }

  const rules: AppliedRule[] = [
    {
      rule: 'gross_limit.axle_table',
      description: `${row.label}，车货总质量限定标准 ${kg(row.limitKg)} 千克（第三条第一款第${row.item}项）`,
      source: 'law',
      basis,
    },
  ];

  let limitKg: number = row.limitKg;
  if (vehicle.airSuspension && !vehicle.combination && (vehicle.axleCount === 3 || vehicle.axleCount === 4)) {
    limitKg += AIR_SUSPENSION_ALLOWANCE_KG;
    rules.push({
      rule: 'gross_limit.air_suspension',
      description:
        `驱动轴每侧双轮胎并装备空气悬架的${row.label}，符合 GB 1589 的，限定标准增加 ` +
        `${kg(AIR_SUSPENSION_ALLOWANCE_KG)} 千克，为 ${kg(limitKg)} 千克（第三条第二款第（五）项）`,
      source: 'law',
      basis,
    });
  }

  const singleTyre = vehicle.singleTyreAxles ?? 0;
  const positions = vehicle.wideBaseTyreAxlePositions ?? [];
  const wideBase = vehicle.wideBaseTyreAxles ?? positions.length;
  // At least the steering axle and one drive axle are never counted as single-tyre axles here.
  const eligible = Math.max(0, vehicle.axleCount - 2);
  if (
    !Number.isInteger(singleTyre) ||
    !Number.isInteger(wideBase) ||
    singleTyre < 0 ||
    wideBase < 0 ||
    wideBase > singleTyre ||
    singleTyre > eligible ||
    (positions.length > 0 && positions.length !== wideBase)
  ) {
    return {
      ok: false,
      code: 'single_tyre_axles_invalid',
      message: `单轮胎轴数 ${singleTyre}（其中加宽轮胎 ${wideBase}）与 ${vehicle.axleCount} 轴的车型不符`,
      rules,
    };
  }
  const reducedAxles = singleTyre - wideBase;
  if (singleTyre > 0) {
    limitKg -= reducedAxles * SINGLE_TYRE_REDUCTION_KG;
    const named = positions.length ? `：第${[...positions].sort((a, b) => a - b).join('、')}轴` : '';
    rules.push({
      rule: 'gross_limit.single_tyres',
      description:
        `除驱动轴外每侧单轮胎的车轴 ${singleTyre} 个（其中加宽轮胎 ${wideBase} 个${named}，不减）：` +
        `限定标准减少 ${kg(reducedAxles * SINGLE_TYRE_REDUCTION_KG)} 千克，为 ${kg(limitKg)} 千克（第三条第二款第（二）项）`,
      source: 'law',
      basis,
    });
  }
  return { ok: true, limitKg, rules };
}
