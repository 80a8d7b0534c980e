import { z } from 'zod';
import {
  reassessLead,
  type DetectionFacts,
  type PermitFacts,
  type ScreeningPolicy,
  type ScreeningResult,
} from '@ecc/screening-domain';
import { DomainError, validationError, type FieldIssue } from '@ecc/shared-kernel';

/**
 * The vehicle as the reviewer confirms or corrects it against the side photo and the vehicle licence (线索审核):
 * truck or combination decides the limit (《超限运输车辆行驶公路管理规定》 Art. 3: 3 axles 25 t vs 27 t, 4 axles
 * 31 t vs 36 t), and a single-tyre axle lowers it by 3,000 kg unless its tyres are wide-base.
 */
export const vehicleCorrectionSchema = z.strictObject({
  combination: z.boolean().describe('汽车列车 (true) or 货车 (false)'),
  /** Non-drive axles with single tyres each side (每侧单轮胎); absent: as the station recorded. */
  singleTyreAxles: z.number().int().min(0).max(19).optional(),
  /** Of them, the wide-base ones by position from the front (1 is the steering axle), e.g. [4, 5, 6]. */
  wideBaseTyreAxles: z.array(z.number().int().min(1).max(20)).max(19).optional(),
  /** The tractor's drive axle is single (6+ axle combinations: 46 t). */
  singleDriveAxle: z.boolean().optional(),
  /** GB 1589 attributes (Art. 3(2)(五)), from the vehicle licence. */
  airSuspension: z.boolean().optional(),
  bodyType: z.enum(['refrigerated']).optional(),
  combinationType: z.enum(['articulated', 'drawbar', 'centre_axle_trailer', 'car_transporter']).optional(),
  specialPurpose: z.boolean().optional(),
});
export type VehicleCorrection = z.infer<typeof vehicleCorrectionSchema>;

/** What the review compares: the lead's figures before the correction and after it. */
export interface ReviewedFigures {
  combination: boolean;
  wideBaseTyreAxles: number[];
  limitKg: number;
  excessKg: number;
  proposedPenalty: { kind: 'fine' | 'warning'; amountYuan: number };
}

export interface ReassessedLead {
  outcome: ScreeningResult['outcome'];
  /** The lead's columns as the correction leaves them. */
  columns: {
    limitKg: number;
    excessKg: number;
    proposedPenaltyKind: 'fine' | 'warning';
    proposedAmount: number;
    proposedBasis: unknown;
    rules: unknown;
  };
  correction: { before: ReviewedFigures; after: ReviewedFigures };
}

function corrected(detection: DetectionFacts, c: VehicleCorrection): DetectionFacts {
  const { wideBaseTyreAxles: positions, ...rest } = c;
  const vehicle = { ...detection.vehicle, ...rest };
  const axles = vehicle.axleCount;
  const errors: FieldIssue[] = [];
  const path = 'body.vehicle.wideBaseTyreAxles';
  for (const p of positions ?? []) {
    if (p === 1) errors.push({ path, message: 'axle 1 is the steering axle, not a single-tyre axle' });
    if (p > axles) errors.push({ path, message: `axle ${p}: the vehicle has ${axles} axles` });
  }
  if (positions && new Set(positions).size !== positions.length)
    errors.push({ path, message: 'an axle is named twice' });
  if (errors.length) throw validationError('the wide-base tyre axles do not fit the vehicle', errors);
  return {
    ...detection,
    vehicle: {
      ...vehicle,
      ...(positions
        ? {
            wideBaseTyreAxles: positions.length,
            wideBaseTyreAxlePositions: [...positions].sort((a, b) => a - b),
          }
        : {}),
    },
  };
}

/**
 * Lead review re-computes what depends on the vehicle (reassessLead of @ecc/screening-domain: the limit, the
 * excess after the tolerance already recorded, the proposed Art. 43 penalty, every rule labelled law or policy)
 * and says what changed. A configuration the axle table does not cover is refused; a lead that is no overload
 * once corrected comes back as `no_violation` for the caller to refuse confirming.
 */
export function reassessReviewedLead(input: {
  detection: DetectionFacts;
  lead: {
    grossMassKg: number;
    toleranceKg: number;
    limitKg: number;
    excessKg: number;
    proposedPenalty: { kind: 'fine' | 'warning'; amountYuan: number };
  };
  correction: VehicleCorrection;
  permits: readonly PermitFacts[];
  policy?: ScreeningPolicy;
}): ReassessedLead {
  const { detection, lead } = input;
  const facts = corrected(detection, input.correction);
  const result = reassessLead(
    { detection: facts, toleranceKg: lead.toleranceKg, permits: input.permits },
    input.policy,
  );
  if (result.outcome === 'invalid' || result.limitKg === null || result.excessKg === null) {
    throw new DomainError(
      'rule_violation',
      'vehicle_configuration_not_covered',
      result.reasons.map((r) => r.message).join('；') || 'the corrected vehicle cannot be judged',
      { reasons: result.reasons },
    );
  }
  const penalty = result.proposedPenalty;
  const after: ReviewedFigures = {
    combination: facts.vehicle.combination,
    wideBaseTyreAxles: facts.vehicle.wideBaseTyreAxlePositions ?? [],
    limitKg: result.limitKg,
    excessKg: result.excessKg,
    proposedPenalty: penalty
      ? { kind: penalty.kind, amountYuan: penalty.amountYuan }
      : { kind: 'warning', amountYuan: 0 },
  };
  return {
    outcome: result.outcome,
    columns: {
      limitKg: result.limitKg,
      excessKg: result.excessKg,
      proposedPenaltyKind: after.proposedPenalty.kind,
      proposedAmount: after.proposedPenalty.amountYuan,
      // As screening stores them (proposed_basis, rules), so that the lead and the SMS read the same way.
      proposedBasis: { basis: penalty?.basis ?? [], parts: penalty?.parts ?? [], reasons: result.reasons },
      rules: result.rules,
    },
    correction: {
      before: {
        combination: detection.vehicle.combination,
        wideBaseTyreAxles: detection.vehicle.wideBaseTyreAxlePositions ?? [],
        limitKg: lead.limitKg,
        excessKg: lead.excessKg,
        proposedPenalty: lead.proposedPenalty,
      },
      after,
    },
  };
}
