import { type IsoDate } from '@ecc/shared-kernel';
import { type LegalRef, type MeasureKind } from '@ecc/legal-domain';

/** The four answerable roles of 一超四罚. */
export type PenaltyRole = 'vehicle' | 'driver' | 'enterprise' | 'source_unit';

/**
 * What a rule of 一超四罚 leads to, in the one vocabulary of @ecc/legal-domain: a penalty (`PenaltyKind`), an
 * order to correct (`order_correct`, not a penalty), or `record_only` — the count is recorded, nothing follows.
 */
export type OutcomeKind = MeasureKind | 'record_only';

export interface PartyRef {
  id: string;
  name: string;
}

/**
 * The Art. 43 penalty already proposed on the lead; passed through unchanged, with the provisions it rests
 * on when they are not Art. 43(1)(2) (gross mass), e.g. a dimension tier.
 */
export type ProposedVehiclePenalty = ({ kind: 'fine'; amountYuan: number } | { kind: 'warning' }) & {
  basis?: LegalRef[];
};

/** The approver's decision that an enterprise case is "serious" (情节严重), with reasons. */
export interface SeriousEscalation {
  approverId: string;
  reasons: string;
  decidedOn: IsoDate;
}

/** The officer's choice of the source unit's fine within its range, with the reasons (自由裁量). */
export interface DiscretionChoice {
  amountYuan: number;
  reasons: string;
}

export interface ViolationUnderDecision {
  caseId: string;
  plate: string;
  violationDate: IsoDate;
  vehicle: {
    id: string;
    /** Owner/operator: the party of the Art. 43 penalty. */
    owner: PartyRef;
    /** 车辆营运证 number; without one there is no certificate to revoke. */
    transportCertificateNo?: string | null;
    /** First issue of the 道路运输证: the start of its counting cycle (超限规定 Art. 46 ¶2). */
    certificateFirstIssuedOn?: IsoDate | null;
  };
  driver?: (PartyRef & { qualificationFirstIssuedOn?: IsoDate | null }) | null;
  /** The road transport enterprise the vehicle belonged to on the violation date, with its fleet then. */
  enterprise?:
    | (PartyRef & {
        fleetSizeOnDate: number;
        seriousEscalation?: SeriousEscalation | null;
        /** First issue of the 道路运输经营许可证: the start of its counting cycle. */
        licenceFirstIssuedOn?: IsoDate | null;
      })
    | null;
  sourceUnit?:
    | (PartyRef & {
        /** The unit instructed or forced the driver to overload (指使、强令), 条例 Art. 68. */
        instructedOrForced: boolean;
        fine?: DiscretionChoice | null;
      })
    | null;
  proposedVehiclePenalty: ProposedVehiclePenalty;
  /** The excess over the gross limit as enforced (after the tolerance), for a count over a provincial margin. */
  overload?: TripOverload | null;
}

export interface TripOverload {
  excessKg: number;
  limitKg: number;
}

/**
 * One earlier trip from the case register: a vehicle case (one per trip, never a sub-case), with the
 * vehicle, driver and enterprise as they were at the trip. It counts only once it has a decision.
 */
export interface RecordedTrip {
  caseId: string;
  violationDate: IsoDate;
  vehicleId: string;
  driverId?: string | null;
  /** The enterprise the vehicle belonged to on the trip date, not today. */
  enterpriseId?: string | null;
  /** Date of the penalty decision; null while the case is a lead or still open. */
  decidedOn?: IsoDate | null;
  /** The decision was annulled (撤销) on reconsideration or by a court: no longer a confirmed violation. */
  annulled?: boolean;
  /** Its excess over the gross limit as decided; needed only when the count is over a provincial margin. */
  excessKg?: number | null;
  limitKg?: number | null;
}

export type CountMeasure = 'vehicle_trips' | 'driver_trips' | 'enterprise_vehicles';

/**
 * The counting rule that produced a count (policy: the four_penalties policy's `counting`), as applied: which
 * year, which trips, and — for a certificate's cycle — the cycle's start, or why it fell back to 12 months.
 */
export interface CountingRuleApplied {
  year: 'rolling_12_months' | 'certificate_cycle';
  trips: 'every_decided_trip' | 'over_provincial_margin';
  /** With `over_provincial_margin`: a trip counts when its excess is more than this share of the limit. */
  provincialMarginPercent?: number;
  certificateFirstIssuedOn?: IsoDate;
  cycleStart?: IsoDate;
  /** The policy asked for the certificate cycle, but its first issue date is not known. */
  fellBackFrom?: 'certificate_cycle';
  source: 'policy';
  basis: LegalRef[];
  /** The rule in the bureau's words, for the sub-case and the reviewer. */
  description: string;
}

/** A count a reviewer can check: what was counted, over which window, from which cases, against what. */
export interface RuleCount {
  measure: CountMeasure;
  count: number;
  /** `count` must exceed this to trigger (Art. 66 says "超过"). */
  threshold: number;
  window: { from: IsoDate; to: IsoDate };
  /** Decisions dated after this are ignored, so that the count can be reproduced later. */
  asOf: IsoDate;
  /**
   * The current violation is counted as one of the trips, since this plan is for its decision — unless the
   * counting rule excludes it (a trip within the provincial margin).
   */
  includesCurrentCase: boolean;
  caseIds: string[];
  /** Decided trips of the window the counting rule left out (within the margin, or its excess unknown). */
  excludedCaseIds: string[];
  rule: CountingRuleApplied;
  /** enterprise_vehicles: the distinct vehicles counted and the fleet they are compared with. */
  vehicleIds?: string[];
  fleetSizeOnDate?: number;
}

export interface SubCasePlan {
  parentCaseId: string;
  role: PenaltyRole;
  partyId: string;
  partyName: string;
  ruleCode: string;
  outcome: OutcomeKind;
  /** Fines only; null for a source-unit fine not yet chosen within `amountRange`. */
  amountYuan: number | null;
  amountRange?: { minYuan: number; maxYuan: number };
  amountReasons?: string;
  /** order_correct: the period to correct (policy) and the fine that follows if the unit does not correct. */
  correction?: CorrectionTerms;
  basis: LegalRef[];
  counts: RuleCount | null;
  /** The cases the outcome rests on: the current one and those counted. */
  evidenceCaseIds: string[];
  /** 情节严重 escalation recorded by the approver; the decision is made public. */
  escalation?: SeriousEscalation;
  publicise?: boolean;
  notes: string[];
}

/** 责令限期改正 (湖南条例 Art. 30): the period and what follows a failure to correct. */
export interface CorrectionTerms {
  periodDays: number;
  counting: 'calendar_days' | 'working_days';
  fineIfNotCorrected: { minYuan: number; maxYuan: number };
  basis: LegalRef[];
}

export interface FourPenaltiesAssessment {
  caseId: string;
  plate: string;
  violationDate: IsoDate;
  asOf: IsoDate;
  plans: SubCasePlan[];
  /** Roles whose party the investigation has not yet identified (driver, source unit). */
  unidentifiedRoles: PenaltyRole[];
  /** Every count, also those that trigger nothing, so that a reviewer sees them all. */
  counts: { vehicleTrips: RuleCount; driverTrips: RuleCount | null; enterpriseVehicles: RuleCount | null };
}
