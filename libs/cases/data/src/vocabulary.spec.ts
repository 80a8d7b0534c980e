import {
  CASE_PARTY_ROLE,
  CASE_STATES,
  CASE_TYPES,
  DEADLINE_KINDS,
  type CaseState as DomainCaseState,
  type CaseType as DomainCaseType,
  type DeadlineKind as DomainDeadlineKind,
} from '@ecc/cases-domain';
import { CasePartyRole, CaseState, CaseType, DeadlineKind } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';

/** One vocabulary (issue 12): each enum of the schema is its domain definition, value for value. */
describe('the schema enums of the case workflow', () => {
  it('case_type is CASE_TYPES (the five case types of 一超四罚)', () => {
    assertType<Equal<CaseType, DomainCaseType>>(true);
    expect(valuesOf(CaseType)).toEqual(valuesOf(CASE_TYPES));
  });

  it('case_state is CASE_STATES (the state machine)', () => {
    assertType<Equal<CaseState, DomainCaseState>>(true);
    expect(valuesOf(CaseState)).toEqual(valuesOf(CASE_STATES));
  });

  it('deadline_kind is DEADLINE_KINDS and the lead’s response window', () => {
    assertType<Equal<DeadlineKind, DomainDeadlineKind | 'response_window'>>(true);
    expect(valuesOf(DeadlineKind)).toEqual(valuesOf([...DEADLINE_KINDS, 'response_window']));
  });

  it('every case type’s party answers in a role of case_party_role', () => {
    for (const role of Object.values(CASE_PARTY_ROLE)) expect(valuesOf(CasePartyRole)).toContain(role);
  });
});
