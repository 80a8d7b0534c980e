import { normalisePlate } from '@ecc/shared-kernel';
import type { DimensionAxis } from './overload-fine';
import type { DetectionFacts, PermitFacts } from './screening.types';
import { showDate, withinValidity } from './validity';
import { kg } from './format';

export interface PermitCoverage {
  permit: PermitFacts;
  /** The permit was valid for this plate at the detection time. */
  inForce: boolean;
  /** It also allows the weighed gross (after tolerance). */
  coversGross: boolean;
  /** It states dimensions that allow every exceeded axis. */
  coversDimensions: boolean;
  description: string;
}

/**
 * How the oversize-transport permits (大件运输许可) of a plate bear on a detection. The permitted gross is
 * compared with the measured gross less the tolerance — the same reading of the measurement as the excess.
 * The tractor plate or the trailer plate may hold the permit. Routes are not checked here (the station is
 * not mapped to a route yet): a reviewer sees the permit on the lead.
 */
export function permitCoverage(
  detection: Pick<DetectionFacts, 'plate' | 'trailerPlate' | 'detectedAt' | 'vehicle'>,
  permits: readonly PermitFacts[],
  grossAfterToleranceKg: number,
  exceededAxes: readonly DimensionAxis[],
  timeZone: string,
): PermitCoverage[] {
  const plates = [detection.plate?.number, detection.trailerPlate]
    .filter((p): p is string => !!p)
    .map(normalisePlate);
  const dims = {
    height: detection.vehicle.heightMm,
    width: detection.vehicle.widthMm,
    length: detection.vehicle.lengthMm,
  };
  return permits
    .filter((p) => plates.includes(normalisePlate(p.plate)))
    .map((permit) => {
      const inForce = withinValidity(detection.detectedAt, permit.validFrom, permit.validTo, timeZone);
      const coversGross = inForce && grossAfterToleranceKg <= permit.maxGrossKg;
      const max = { height: permit.maxHeightMm, width: permit.maxWidthMm, length: permit.maxLengthMm };
      const coversDimensions =
        inForce &&
        exceededAxes.every((a) => {
          const allowed = max[a];
          const measured = dims[a];
          return allowed != null && measured !== undefined && measured <= allowed;
        });
      const name = `大件运输许可${permit.permitNo ? ` ${permit.permitNo}` : ''}（${showDate(permit.validFrom, timeZone)} 至 ${showDate(permit.validTo, timeZone)}，核定总质量 ${kg(permit.maxGrossKg)} 千克）`;
      const description = !inForce
        ? `${name}在检测时不在有效期内`
        : coversGross
          ? `${name}在检测时有效，扣除误差后总质量 ${kg(grossAfterToleranceKg)} 千克在许可范围内`
          : `${name}在检测时有效，但扣除误差后总质量 ${kg(grossAfterToleranceKg)} 千克超过许可总质量`;
      return { permit, inForce, coversGross, coversDimensions, description };
    });
}
