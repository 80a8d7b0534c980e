import {
  MEASURE_KINDS,
  PARTY_KINDS,
  PENALTY_KINDS,
  PROVISION_ROLES,
  VIOLATION_TYPES,
  type MeasureKind,
  type PartyKind as DomainPartyKind,
  type PenaltyKind as DomainPenaltyKind,
  type ProvisionRole as DomainProvisionRole,
  type ViolationType as DomainViolationType,
} from '@ecc/legal-domain';
import { LegalPenaltyKind, PartyKind, PenaltyKind, ProvisionRole, ViolationType } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';

/** One vocabulary (issue 12): each enum of the schema is its domain definition, value for value. */
describe('the schema enums of the legal vocabulary', () => {
  it('penalty_kind is PENALTY_KINDS: the cases, 一超四罚 and the evaluation name penalties alike', () => {
    assertType<Equal<PenaltyKind, DomainPenaltyKind>>(true);
    expect(valuesOf(PenaltyKind)).toEqual(valuesOf(PENALTY_KINDS));
  });

  it('legal_penalty_kind is MEASURE_KINDS: the same penalties, and 责令改正', () => {
    assertType<Equal<LegalPenaltyKind, MeasureKind>>(true);
    expect(valuesOf(LegalPenaltyKind)).toEqual(valuesOf(MEASURE_KINDS));
    expect(valuesOf(LegalPenaltyKind)).toEqual(valuesOf([...valuesOf(PenaltyKind), 'order_correct']));
  });

  it('violation_type, provision_role and party_kind are the catalogue’s', () => {
    assertType<Equal<ViolationType, DomainViolationType>>(true);
    assertType<Equal<ProvisionRole, DomainProvisionRole>>(true);
    assertType<Equal<PartyKind, DomainPartyKind>>(true);
    expect(valuesOf(ViolationType)).toEqual(valuesOf(VIOLATION_TYPES));
    expect(valuesOf(ProvisionRole)).toEqual(valuesOf(PROVISION_ROLES));
    expect(valuesOf(PartyKind)).toEqual(valuesOf(PARTY_KINDS));
  });
});
