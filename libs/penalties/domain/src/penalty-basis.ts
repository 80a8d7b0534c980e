import { BASIS, basisRef, type LegalRef } from '@ecc/legal-domain';

/**
 * The provisions the four penalties (一超四罚) cite, as references into the legal-basis catalogue
 * (`@ecc/legal-domain`), where their texts and validity dates live.
 */
export interface PenaltyBasis {
  /** 《超限运输车辆行驶公路管理规定》 Art. 43(1)(2): the vehicle's fine or warning for gross mass. */
  vehicleOverload: LegalRef;
  /** 《公路安全保护条例》 Art. 66: a vehicle with more than 3 trips loses its road transport certificate. */
  vehicleCertificate: LegalRef;
  /** Art. 66: a driver with more than 3 trips is ordered to stop commercial transport. */
  driver: LegalRef;
  /** Art. 66: an enterprise whose overloading vehicles exceed 10% of its fleet is suspended. */
  enterprise: LegalRef;
  /** Art. 68: a unit that instructed or forced a driver to overload. */
  instructedOverload: LegalRef;
  /** 湖南条例 Art. 30: a cargo source unit that loaded an overloaded vehicle is ordered to correct. */
  sourceUnitLoading: LegalRef;
  /** 湖南条例 Art. 13: the duty the source unit broke (the provision violated). */
  sourceUnitObligation: LegalRef;
  /** 超限规定 Art. 46: the Art. 66 measures belong to the road transport authority; the counting cycle. */
  measuresAuthority: LegalRef;
}

export const DEFAULT_PENALTY_BASIS: PenaltyBasis = {
  vehicleOverload: basisRef(BASIS.grossFine),
  vehicleCertificate: basisRef(BASIS.repeatVehicle),
  driver: basisRef(BASIS.repeatDriver),
  enterprise: basisRef(BASIS.enterpriseFleet),
  instructedOverload: basisRef(BASIS.instructingOverload),
  sourceUnitLoading: basisRef(BASIS.sourceUnitRelease),
  sourceUnitObligation: basisRef(BASIS.sourceUnitObligation),
  measuresAuthority: basisRef(BASIS.overloadMeasuresAuthority),
};
