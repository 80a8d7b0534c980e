import type { IsoDate, PlateColour, StationEvidenceKind } from '@ecc/shared-kernel';
import type { LegalRef } from '@ecc/legal-domain';

/** A date on a certificate (a whole local day in the bureau's zone) or an exact instant. */
export type DateLike = IsoDate | Date;

export interface Plate {
  number: string;
  color: PlateColour;
}

/**
 * 拖拉机、农用车、低速货车 are limited by their licensed total mass (《超限运输车辆行驶公路管理规定》 Art. 3(2)(四));
 * every other goods vehicle by the axle table. (A tractor here is 拖拉机, not a semi-trailer tractor unit.)
 */
export type VehicleClass = 'goods_vehicle' | 'tractor' | 'farm_vehicle' | 'low_speed_truck';

export interface AxleConfiguration {
  /** Axles counted as the regulation counts them: a tandem group is 2 axles, a tridem 3 (Art. 3(2)(一)). */
  axleCount: number;
  /** 汽车列车 (tractor with semi-trailer, truck with trailer). */
  combination: boolean;
  /** The tractor's drive axle is a single axle (牵引车驱动轴为单轴); matters for 6+ axle combinations. */
  singleDriveAxle?: boolean;
  /**
   * Non-drive axles of a tandem/tridem group or of a trailer with single tyres each side (每侧单轮胎); each
   * lowers the limit by 3,000 kg. The steering axle is not such an axle.
   */
  singleTyreAxles?: number;
  /** Of the single-tyre axles, those with wide-base tyres meeting the national standard (no reduction). */
  wideBaseTyreAxles?: number;
  /** Where known, which axles (1 = the front one) have wide-base tyres; their count is `wideBaseTyreAxles`. */
  wideBaseTyreAxlePositions?: number[];
  /**
   * The drive axle has dual tyres each side and air suspension: a 3- or 4-axle truck meeting GB 1589 may weigh
   * 1,000 kg more (《超限运输车辆行驶公路管理规定》 Art. 3(2)(五) with GB 1589-2016).
   */
  airSuspension?: boolean;
  /** Default goods_vehicle. */
  vehicleClass?: VehicleClass;
  /** 行驶证核定的总质量, needed for tractors, farm vehicles and low-speed trucks. */
  licensedTotalMassKg?: number;
}

/** Measured dimensions; none of them at a weigh-only station (no profile scanner). */
export interface Dimensions {
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
}

/**
 * The kind of combination as GB 1589-2016 distinguishes it: its length limits differ (a centre-axle car
 * transporter 22 m, a drawbar or centre-axle trailer combination 20 m; articulated ones stay within Art. 3's
 * 18.1 m).
 */
export type CombinationType = 'articulated' | 'drawbar' | 'centre_axle_trailer' | 'car_transporter';

/**
 * Vehicle attributes that exempt a dimension under 《超限运输车辆行驶公路管理规定》 Art. 3(2)(五): vehicles that
 * meet GB 1589 as refrigerated vehicles, combinations, air-suspension and special-purpose working vehicles are
 * not over the limit for those dimensions. Known from the registry or the reviewer, not from the station.
 */
export interface VehicleAttributes {
  bodyType?: 'refrigerated';
  combinationType?: CombinationType;
  /** 专用作业车: GB 1589's length limit does not apply to it (its own standard does). */
  specialPurpose?: boolean;
}

export interface DetectionFacts {
  stationCode: string;
  detectionId?: string;
  detectedAt: Date;
  /** null when the plate could not be read. */
  plate: Plate | null;
  trailerPlate?: string | null;
  vehicle: AxleConfiguration & Dimensions & VehicleAttributes;
  weighing: { grossKg: number; axleLoadsKg: number[] };
  /** Kinds of evidence present with the detection. */
  evidenceKinds: StationEvidenceKind[];
}

export type ToleranceRule = { kind: 'percent_of_gross'; percent: number } | { kind: 'fixed_kg'; kg: number };

export interface DeviceFacts {
  code: string;
  /** 法制审核 of the device (行政处罚法 Art. 41); null when none. */
  legalReviewedAt: DateLike | null;
  /** 技术审核 of the device (Art. 41); null when none. */
  technicalReviewedAt: DateLike | null;
  /** The day its location was made public (设置地点向社会公布, Art. 41); null when not published. */
  publishedAt: DateLike | null;
  /** Metrological verification/calibration (检定/校准) with its validity, inclusive. */
  calibration: { certificateNo: string; validFrom: DateLike; validTo: DateLike } | null;
  /** Accuracy class of the weigh-in-motion device, e.g. "5" (JJG 907 / OIML R134 class). */
  accuracyClass?: string | null;
  /** A tolerance fixed for this one device, overriding class and default. */
  tolerance?: ToleranceRule | null;
}

/** 大件运输许可 (oversize-transport permit) for a plate. */
export interface PermitFacts {
  permitNo?: string;
  plate: string;
  validFrom: DateLike;
  validTo: DateLike;
  maxGrossKg: number;
  /** Permitted dimensions; without them the permit does not cover a dimension violation. */
  maxLengthMm?: number | null;
  maxWidthMm?: number | null;
  maxHeightMm?: number | null;
}

/** One rule applied during screening, with the article it implements (null for a pure policy). */
export interface AppliedRule {
  rule: string;
  /** What was applied and what it gave, in Chinese for reviewers and the party. */
  description: string;
  source: 'law' | 'policy';
  basis: LegalRef | null;
}

export type ScreeningOutcome = 'lead' | 'no_violation' | 'invalid';

export type ReasonCode =
  // invalid (the record cannot serve as evidence or cannot be judged)
  | 'device_not_approved'
  | 'device_location_not_published'
  | 'calibration_invalid'
  | 'axle_loads_count_mismatch'
  | 'axle_loads_inconsistent'
  | 'gross_invalid'
  | 'plate_unreadable'
  | 'evidence_missing'
  | 'axle_config_not_covered'
  | 'single_tyre_axles_invalid'
  | 'licensed_mass_unknown'
  | 'basis_not_in_force'
  // no violation
  | 'within_limit'
  | 'permit'
  // lead
  | 'overload_gross'
  | 'overload_dimension'
  | 'permit_not_covering';

export interface ScreeningReason {
  code: ReasonCode;
  message: string;
  basis?: LegalRef;
}

export type ViolationKind = 'overload_gross' | 'overload_dimension';

export interface PenaltyPart {
  violation: ViolationKind;
  kind: 'warning' | 'fine';
  amountYuan: number;
  basis: LegalRef[];
}

export interface ProposedPenalty {
  /** `fine` whenever a fine is part of it; a warning alongside is `warning: true`. */
  kind: 'warning' | 'fine';
  /** 0 for a warning. */
  amountYuan: number;
  /** A warning is part of the penalty (alone, or for the weight beside a size fine: both are kept). */
  warning: boolean;
  basis: LegalRef[];
  /** Per violation, before the cumulative cap. */
  parts: PenaltyPart[];
}

export interface ScreeningResult {
  outcome: ScreeningOutcome;
  reasons: ScreeningReason[];
  limitKg: number | null;
  toleranceKg: number | null;
  /** measured − tolerance − limit (may be ≤ 0). */
  excessKg: number | null;
  proposedPenalty: ProposedPenalty | null;
  rules: AppliedRule[];
}
