import { PENALTY_KINDS, PENALTY_KINDS_BY_CASE_TYPE, type CaseType } from '@ecc/cases-domain';
import {
  FOUR_PENALTIES_RULES,
  type OutcomeKind,
  type PenaltyRole,
  type SubCasePlan,
} from '@ecc/penalties-domain';
import { carrierOf, casePartyRoleOf, casePenaltyKindOf, sameRoleCodes } from './penalty-vocabulary';

const R = FOUR_PENALTIES_RULES;
const plan = (
  role: PenaltyRole,
  ruleCode: string,
  outcome: OutcomeKind,
): Pick<SubCasePlan, 'role' | 'ruleCode' | 'outcome'> => ({
  role,
  ruleCode,
  outcome,
});

describe('the 一超四罚 vocabulary mapping (penalties-domain → cases-domain / Prisma)', () => {
  it.each([
    [plan('vehicle', R.vehicleFine, 'fine'), 'fine', 'parent'],
    [plan('vehicle', R.vehicleFine, 'warning'), 'warning', 'parent'],
    [
      plan('vehicle', R.vehicleCertificate, 'revoke_certificate'),
      'certificate_revocation',
      'vehicle_certificate',
    ],
    [plan('driver', R.driver, 'order_stop_transport'), 'order_stop_transport', 'driver'],
    [plan('enterprise', R.enterprise, 'suspend_business'), 'business_suspension', 'enterprise'],
    [plan('enterprise', R.enterpriseSerious, 'revoke_certificate'), 'licence_revocation', 'enterprise'],
    [plan('source_unit', R.sourceUnitInstructed, 'fine'), 'fine', 'source_unit'],
  ])('%o → %s on %s', (p, kind, carrier) => {
    expect(casePenaltyKindOf(p)).toBe(kind);
    expect(carrierOf(p)).toBe(carrier);
    // The kind is one the carrying case type may hold (the vehicle case carries fine or warning).
    const carried = carrierOf(p);
    const type: CaseType = carried === 'parent' ? 'vehicle' : carried;
    expect(PENALTY_KINDS_BY_CASE_TYPE[type]).toContain(kind);
  });

  it('maps record_only and an order to correct to no penalty, and every mapped kind exists in the workflow vocabulary', () => {
    expect(casePenaltyKindOf(plan('driver', R.driver, 'record_only'))).toBeNull();
    // 湖南条例 Art. 30: the source unit's order to correct is carried by its sub-case, without a penalty yet.
    const order = plan('source_unit', R.sourceUnitLoading, 'order_correct');
    expect(casePenaltyKindOf(order)).toBeNull();
    expect(carrierOf(order)).toBe('source_unit');
    const outcomes: OutcomeKind[] = [
      'fine',
      'warning',
      'order_stop_transport',
      'suspend_business',
      'revoke_certificate',
    ];
    for (const o of outcomes)
      expect(PENALTY_KINDS).toContain(casePenaltyKindOf(plan('enterprise', R.enterprise, o)));
  });

  it('names the party role of each sub-case and groups the codes of one role', () => {
    expect(casePartyRoleOf({ role: 'vehicle' })).toBe('owner');
    expect(casePartyRoleOf({ role: 'source_unit' })).toBe('source_unit');
    expect(sameRoleCodes(R.enterprise)).toEqual([R.enterprise, R.enterpriseSerious]);
    expect(sameRoleCodes(R.sourceUnitInstructed)).toEqual([R.sourceUnitLoading, R.sourceUnitInstructed]);
    expect(sameRoleCodes(R.driver)).toEqual([R.driver]);
  });
});
