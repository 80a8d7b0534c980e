import { DomainError, type FieldIssue, type IsoDate, validationError } from '@ecc/shared-kernel';
import {
  DEFAULT_FOUR_PENALTIES_POLICY,
  FOUR_PENALTIES_LAW,
  type FourPenaltiesPolicy,
} from './four-penalties.policy';
import {
  type CountMeasure,
  type DiscretionChoice,
  type FourPenaltiesAssessment,
  type RecordedTrip,
  type RuleCount,
  type SubCasePlan,
  type ViolationUnderDecision,
} from './four-penalties.types';
import { countableTrips, countEnterpriseVehicles, countingRuleFor, countTrips, exceeds } from './trip-count';

export const FOUR_PENALTIES_RULES = {
  vehicleFine: 'vehicle_overload_art43',
  vehicleCertificate: 'vehicle_certificate_art66',
  driver: 'driver_repeat_art66',
  enterprise: 'enterprise_fleet_share_art66',
  enterpriseSerious: 'enterprise_serious_art66',
  sourceUnitLoading: 'source_unit_loading',
  sourceUnitInstructed: 'source_unit_instructed_art68',
} as const;

export interface FourPenaltiesInput {
  violation: ViolationUnderDecision;
  /** Earlier trips from the case register; leads and open cases may be included, they are not counted. */
  history: RecordedTrip[];
  /** The date the plan is made (normally the decision date); later decisions are not counted. */
  asOf: IsoDate;
  policy?: FourPenaltiesPolicy;
}

/**
 * 一超四罚: the sub-cases a confirmed overload opens, one per answerable role (vehicle, driver, enterprise,
 * source unit), each naming its article and, where it counts trips, the counts and the cases they come
 * from. A party holding several roles gets one sub-case per role, and no role is fined twice for a trip.
 */
export function planFourPenalties(input: FourPenaltiesInput): FourPenaltiesAssessment {
  const { violation: v, history, asOf } = input;
  const policy = input.policy ?? DEFAULT_FOUR_PENALTIES_POLICY;
  validate(v, asOf);
  const trips = countableTrips(v, history, asOf);
  const count = (
    measure: CountMeasure,
    firstIssuedOn: string | null | undefined,
    belongs: (trip: RecordedTrip) => boolean,
  ) => {
    const { window, rule } = countingRuleFor(
      measure,
      policy.counting,
      firstIssuedOn,
      v.violationDate,
      policy.basis.measuresAuthority,
    );
    return { measure, trips, belongs, window, rule, asOf };
  };
  const plans: SubCasePlan[] = [];
  const unidentifiedRoles: FourPenaltiesAssessment['unidentifiedRoles'] = [];

  // 1. Vehicle (owner/operator): the Art. 43 penalty proposed on the lead, unchanged.
  const proposed = v.proposedVehiclePenalty;
  plans.push({
    parentCaseId: v.caseId,
    role: 'vehicle',
    partyId: v.vehicle.owner.id,
    partyName: v.vehicle.owner.name,
    ruleCode: FOUR_PENALTIES_RULES.vehicleFine,
    notes: [],
    outcome: proposed.kind,
    amountYuan: proposed.kind === 'fine' ? proposed.amountYuan : null,
    basis: proposed.basis?.length ? proposed.basis : [policy.basis.vehicleOverload],
    counts: null,
    evidenceCaseIds: [v.caseId],
  });

  // Art. 66: a vehicle with more than 3 trips within one year loses its road transport certificate.
  const vehicleTrips = countTrips({
    ...count('vehicle_trips', v.vehicle.certificateFirstIssuedOn, (t) => t.vehicleId === v.vehicle.id),
    threshold: FOUR_PENALTIES_LAW.maxTripsWithinYear,
  });
  if (exceeds(vehicleTrips) && vehicleTrips.includesCurrentCase) {
    const certificate = v.vehicle.transportCertificateNo;
    plans.push({
      parentCaseId: v.caseId,
      notes: certificate
        ? [`车辆营运证 ${certificate}`]
        : ['no road transport certificate on record: nothing to revoke'],
      role: 'vehicle',
      partyId: v.vehicle.owner.id,
      partyName: v.vehicle.owner.name,
      ruleCode: FOUR_PENALTIES_RULES.vehicleCertificate,
      outcome: certificate ? 'certificate_revocation' : 'record_only',
      amountYuan: null,
      basis: [policy.basis.vehicleCertificate],
      counts: vehicleTrips,
      evidenceCaseIds: vehicleTrips.caseIds,
    });
  }

  // 2. Driver, Art. 66: more than 3 trips within one year → ordered to stop commercial transport.
  let driverTrips: RuleCount | null = null;
  if (v.driver) {
    const driverId = v.driver.id;
    driverTrips = countTrips({
      ...count('driver_trips', v.driver.qualificationFirstIssuedOn, (t) => t.driverId === driverId),
      threshold: FOUR_PENALTIES_LAW.maxTripsWithinYear,
    });
    plans.push({
      parentCaseId: v.caseId,
      role: 'driver',
      partyId: v.driver.id,
      partyName: v.driver.name,
      ruleCode: FOUR_PENALTIES_RULES.driver,
      notes: [],
      outcome: crosses(driverTrips) ? 'order_stop_transport' : 'record_only',
      amountYuan: null,
      basis: [policy.basis.driver],
      counts: driverTrips,
      evidenceCaseIds: driverTrips.caseIds,
    });
  } else unidentifiedRoles.push('driver');

  // 3. Enterprise, Art. 66: overloading vehicles exceeding 10% of the fleet → suspension; serious → revocation.
  let enterpriseVehicles: RuleCount | null = null;
  if (v.enterprise) {
    const e = v.enterprise;
    enterpriseVehicles = countEnterpriseVehicles({
      ...count('enterprise_vehicles', e.licenceFirstIssuedOn, (t) => t.enterpriseId === e.id),
      fleetSizeOnDate: e.fleetSizeOnDate,
      sharePercent: FOUR_PENALTIES_LAW.enterpriseFleetSharePercent,
    });
    const over = crosses(enterpriseVehicles);
    if (e.seriousEscalation && !over) {
      throw new DomainError(
        'rule_violation',
        'serious_escalation_below_threshold',
        `enterprise ${e.id} does not exceed ${FOUR_PENALTIES_LAW.enterpriseFleetSharePercent}% of its fleet: 情节严重 cannot apply`,
      );
    }
    const serious = over && e.seriousEscalation ? e.seriousEscalation : undefined;
    plans.push({
      parentCaseId: v.caseId,
      role: 'enterprise',
      partyId: e.id,
      partyName: e.name,
      ruleCode: serious ? FOUR_PENALTIES_RULES.enterpriseSerious : FOUR_PENALTIES_RULES.enterprise,
      notes: [],
      // 情节严重: the business licence (道路运输经营许可证) is revoked and the decision made public.
      outcome: serious ? 'licence_revocation' : over ? 'business_suspension' : 'record_only',
      amountYuan: null,
      basis: [policy.basis.enterprise],
      counts: enterpriseVehicles,
      evidenceCaseIds: enterpriseVehicles.caseIds,
      ...(serious ? { escalation: serious, publicise: true } : {}),
    });
  }

  // 4. Cargo source unit: an order to correct (湖南条例 Art. 30), or the Art. 68 fine where it instructed.
  if (v.sourceUnit) plans.push(sourceUnitPlan(v.caseId, v.sourceUnit, policy));
  else unidentifiedRoles.push('source_unit');

  assertOneFinePerRoleAndTrip(plans);
  return {
    caseId: v.caseId,
    plate: v.plate,
    violationDate: v.violationDate,
    asOf,
    plans,
    unidentifiedRoles,
    counts: { vehicleTrips, driverTrips, enterpriseVehicles },
  };
}

/** The threshold is crossed on this trip: over it, with the current violation among the trips counted. */
const crosses = (c: RuleCount) => exceeds(c) && c.includesCurrentCase;

/**
 * The cargo source unit that loaded the overloaded vehicle (湖南条例 Art. 13) is ordered to correct within a
 * period (Art. 30) — no fine for the trip; a fine of 10,000–30,000 yuan may follow only if it does not correct
 * (see source-unit-correction). A unit that instructed or forced the driver (条例 Art. 68) is ordered to correct
 * and fined up to 30,000 yuan directly: one act, one fine (行政处罚法 Art. 29).
 */
function sourceUnitPlan(
  caseId: string,
  unit: NonNullable<ViolationUnderDecision['sourceUnit']>,
  policy: FourPenaltiesPolicy,
): SubCasePlan {
  const party = {
    parentCaseId: caseId,
    role: 'source_unit' as const,
    partyId: unit.id,
    partyName: unit.name,
  };
  const chosen = unit.fine ?? null;
  if (!unit.instructedOrForced) {
    if (chosen) {
      throw new DomainError(
        'rule_violation',
        'source_unit_fine_before_correction_check',
        '货运源头单位先责令限期改正；逾期不改正的，方可处一万元以上三万元以下罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）',
      );
    }
    return {
      ...party,
      ruleCode: FOUR_PENALTIES_RULES.sourceUnitLoading,
      outcome: 'order_correct',
      amountYuan: null,
      correction: {
        ...policy.sourceUnitCorrection,
        fineIfNotCorrected: { ...FOUR_PENALTIES_LAW.sourceUnitUncorrectedFineYuan },
        basis: [policy.basis.sourceUnitObligation, policy.basis.sourceUnitLoading],
      },
      basis: [policy.basis.sourceUnitLoading],
      counts: null,
      evidenceCaseIds: [caseId],
      notes: [],
    };
  }
  const range = { minYuan: 0, maxYuan: FOUR_PENALTIES_LAW.instructedOverloadMaxYuan };
  if (chosen) assertDiscretion(chosen, range);
  return {
    ...party,
    ruleCode: FOUR_PENALTIES_RULES.sourceUnitInstructed,
    outcome: 'fine',
    amountYuan: chosen ? chosen.amountYuan : null,
    amountRange: range,
    ...(chosen ? { amountReasons: chosen.reasons } : {}),
    basis: [policy.basis.instructedOverload],
    counts: null,
    evidenceCaseIds: [caseId],
    notes: [
      '指使、强令超限：责令改正，并处罚款（《公路安全保护条例》第六十八条），不再另按装载超限处罚（行政处罚法第二十九条）',
    ],
  };
}

/** 自由裁量: a whole amount of yuan within the range, with the reasons for it. */
export function assertDiscretion(
  chosen: DiscretionChoice,
  range: { minYuan: number; maxYuan: number },
): void {
  if (
    !Number.isInteger(chosen.amountYuan) ||
    chosen.amountYuan <= 0 ||
    chosen.amountYuan < range.minYuan ||
    chosen.amountYuan > range.maxYuan
  ) {
    throw new DomainError(
      'rule_violation',
      'source_unit_fine_out_of_range',
      `source unit fine ${chosen.amountYuan} yuan is outside ${range.minYuan}–${range.maxYuan} yuan`,
    );
  }
  if (!chosen.reasons.trim()) {
    throw new DomainError(
      'validation',
      'discretion_reasons_required',
      'the reasons for the chosen amount are required (自由裁量理由)',
    );
  }
}

/** 一事不再罚款 (行政处罚法 Art. 29): at most one fine per role, party and trip. */
export function assertOneFinePerRoleAndTrip(plans: SubCasePlan[]): void {
  const seen = new Set<string>();
  for (const plan of plans.filter((p) => p.outcome === 'fine')) {
    const key = `${plan.parentCaseId}|${plan.role}|${plan.partyId}`;
    if (seen.has(key)) {
      throw new DomainError(
        'rule_violation',
        'doubled_fine',
        `${plan.partyId} would be fined twice as ${plan.role} for case ${plan.parentCaseId}`,
      );
    }
    seen.add(key);
  }
}

function validate(v: ViolationUnderDecision, asOf: IsoDate): void {
  const errors: FieldIssue[] = [];
  if (asOf < v.violationDate) errors.push({ path: 'asOf', message: 'must not precede the violation date' });
  const p = v.proposedVehiclePenalty;
  if (p.kind === 'fine' && (!Number.isInteger(p.amountYuan) || p.amountYuan <= 0)) {
    errors.push({
      path: 'violation.proposedVehiclePenalty.amountYuan',
      message: 'must be a positive whole number of yuan',
    });
  }
  if (v.enterprise && (!Number.isInteger(v.enterprise.fleetSizeOnDate) || v.enterprise.fleetSizeOnDate < 1)) {
    errors.push({
      path: 'violation.enterprise.fleetSizeOnDate',
      message: 'must be the registered fleet size, at least 1',
    });
  }
  if (v.enterprise?.seriousEscalation && !v.enterprise.seriousEscalation.reasons.trim()) {
    errors.push({
      path: 'violation.enterprise.seriousEscalation.reasons',
      message: 'the approver must give reasons',
    });
  }
  if (errors.length) throw validationError('the violation cannot be assessed', errors);
}
