/**
 * The articles the four penalties (一超四罚) apply. Codes are the keys of the legal-basis catalogue; the
 * texts and validity dates live there, not here. A bureau whose catalogue uses other codes overrides them
 * through `FourPenaltiesPolicy.basis`.
 */
export interface LegalBasisRef {
  code: string;
  citation: string;
}

export interface PenaltyBasis {
  /** 《超限运输车辆行驶公路管理规定》 Art. 43: the vehicle's fine or warning. */
  vehicleOverload: LegalBasisRef;
  /** 《公路安全保护条例》 Art. 66: driver, enterprise and the vehicle's road transport certificate. */
  repeatOverload: LegalBasisRef;
  /** 《公路安全保护条例》 Art. 68: a unit that instructed or forced a driver to overload. */
  instructedOverload: LegalBasisRef;
  /** The province's cargo-source control rule (货运源头治超), a local regulation chosen by policy. */
  sourceUnitLoading: LegalBasisRef;
}

export const DEFAULT_PENALTY_BASIS: PenaltyBasis = {
  vehicleOverload: { code: 'CXGD-43', citation: '《超限运输车辆行驶公路管理规定》第四十三条' },
  repeatOverload: { code: 'GLAQ-66', citation: '《公路安全保护条例》第六十六条' },
  instructedOverload: { code: 'GLAQ-68', citation: '《公路安全保护条例》第六十八条' },
  sourceUnitLoading: { code: 'SOURCE-CONTROL', citation: '省货运源头超限超载治理规定（依政策配置）' },
};
