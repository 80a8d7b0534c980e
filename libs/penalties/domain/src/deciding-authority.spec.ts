import { BASIS, basisCitation, basisRef } from '@ecc/legal-domain';
import { DEFAULT_FOUR_PENALTIES_POLICY } from './four-penalties.policy';
import { FOUR_PENALTIES_RULES, planFourPenalties } from './four-penalties.rules';
import { partitionByAuthority, subCaseDecisionReadiness } from './deciding-authority';
import { sourceUnitReferralLines } from './source-unit-referral';
import { type RecordedTrip, type ViolationUnderDecision } from './four-penalties.types';

const local = { id: 'ent-1', name: '汨罗某运输有限公司' };

function violation(): ViolationUnderDecision {
  return {
    caseId: 'case-now',
    plate: '湘F12345',
    violationDate: '2025-03-01',
    vehicle: { id: 'veh-1', owner: local, transportCertificateNo: '430681000001' },
    driver: { id: 'drv-1', name: '张三' },
    enterprise: { ...local, fleetSizeOnDate: 10 },
    sourceUnit: { id: 'src-1', name: '某砂石场', instructedOrForced: false },
    proposedVehiclePenalty: { kind: 'fine', amountYuan: 5_000 },
  };
}
const trip = (caseId: string, violationDate: string, vehicleId = 'veh-1'): RecordedTrip => ({
  caseId,
  violationDate,
  vehicleId,
  driverId: 'drv-1',
  enterpriseId: 'ent-1',
  decidedOn: '2025-02-20',
});
// 4 trips of the truck, 5 of the driver, 2 vehicles of a fleet of 10: every Art. 66 measure is reached.
const assessment = planFourPenalties({
  violation: violation(),
  history: [
    trip('c1', '2024-06-01'),
    trip('c2', '2024-09-01'),
    trip('c3', '2024-11-01'),
    trip('c4', '2024-12-01', 'veh-2'),
  ],
  asOf: '2025-03-01',
});

describe('who decides the Art. 66 measures (超限规定 Art. 46)', () => {
  it('keeps the measures of parties registered in the served county as sub-cases', () => {
    const split = partitionByAuthority(
      assessment,
      { vehicle: '430681', driver: '430681', enterprise: '430681', sourceUnitSite: '430681' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(split.reports).toEqual([]);
    expect(split.undetermined).toEqual([]);
    expect(split.subCases.map((p) => p.ruleCode).sort()).toEqual(
      [
        FOUR_PENALTIES_RULES.driver,
        FOUR_PENALTIES_RULES.enterprise,
        FOUR_PENALTIES_RULES.sourceUnitLoading,
        FOUR_PENALTIES_RULES.vehicleCertificate,
        FOUR_PENALTIES_RULES.vehicleFine,
      ].sort(),
    );
  });

  it('reports a non-local enterprise that crossed 10% to its home authority, with the counted cases', () => {
    const split = partitionByAuthority(
      assessment,
      { vehicle: '430681', driver: '430681', enterprise: '430602', sourceUnitSite: '430681' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(split.subCases.map((p) => p.ruleCode)).not.toContain(FOUR_PENALTIES_RULES.enterprise);
    expect(split.reports).toEqual([
      expect.objectContaining({
        divisionCode: '430602',
        role: 'enterprise',
        partyId: 'ent-1',
        ruleCode: FOUR_PENALTIES_RULES.enterprise,
        measure: 'business_suspension',
        parentCaseId: 'case-now',
        countedCaseIds: ['c1', 'c2', 'c3', 'c4', 'case-now'],
        counts: expect.objectContaining({ count: 2, threshold: 1 }),
      }),
    ]);
    expect(split.reports[0]?.basis.map((b) => b.code)).toEqual(['ORR-46', 'HSR-66-ENTERPRISE']);
  });

  it('takes the served division codes from the policy, and holds measures whose registration is unknown', () => {
    const policy = {
      ...DEFAULT_FOUR_PENALTIES_POLICY,
      jurisdiction: { divisionCodes: ['430681', '430602'] },
    };
    const split = partitionByAuthority(
      assessment,
      { vehicle: null, driver: '430602', enterprise: '430602', sourceUnitSite: '430681' },
      policy,
    );
    expect(split.reports).toEqual([]);
    expect(split.undetermined).toEqual([
      expect.objectContaining({
        plan: expect.objectContaining({ ruleCode: FOUR_PENALTIES_RULES.vehicleCertificate }),
        reason: expect.stringContaining('登记地'),
      }),
    ]);
    // The Art. 43 fine and the source unit's order (its site in the county) are the bureau's wherever the
    // parties are registered.
    const elsewhere = partitionByAuthority(
      assessment,
      { vehicle: '110105', driver: '110105', enterprise: '110105', sourceUnitSite: '430681' },
      policy,
    );
    expect(elsewhere.subCases.map((p) => p.ruleCode).sort()).toEqual(
      [FOUR_PENALTIES_RULES.sourceUnitLoading, FOUR_PENALTIES_RULES.vehicleFine].sort(),
    );
    expect(elsewhere.reports.map((r) => r.role).sort()).toEqual(['driver', 'enterprise', 'vehicle']);
  });

  it('lets a record-only count stay on the vehicle case, whoever decides', () => {
    const one = planFourPenalties({ violation: violation(), history: [], asOf: '2025-03-01' });
    const split = partitionByAuthority(
      one,
      { vehicle: '110105', driver: '110105', enterprise: '110105', sourceUnitSite: '430681' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(split.reports).toEqual([]);
    expect(
      split.subCases
        .filter((p) => p.outcome === 'record_only')
        .map((p) => p.role)
        .sort(),
    ).toEqual(['driver', 'enterprise']);
  });
});

describe('who is competent for a source unit: where it loaded the vehicle (行政处罚法 Art. 22; 湖南条例 Art. 30)', () => {
  const registered = { vehicle: '430681', driver: '430681', enterprise: '430681' };
  const sourceUnitCodes = (split: ReturnType<typeof partitionByAuthority>) =>
    split.subCases.filter((p) => p.role === 'source_unit').map((p) => p.ruleCode);

  it('orders a unit whose site lies in the county served: its own sub-case', () => {
    const split = partitionByAuthority(
      assessment,
      { ...registered, sourceUnitSite: '430681' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(sourceUnitCodes(split)).toEqual([FOUR_PENALTIES_RULES.sourceUnitLoading]);
    expect(split.referrals).toEqual([]);
  });

  it('refers a unit whose site lies in another Hunan county to the authority there, citing the Hunan rule', () => {
    const split = partitionByAuthority(
      assessment,
      { ...registered, sourceUnitSite: '430602' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(sourceUnitCodes(split)).toEqual([]);
    expect(split.referrals).toEqual([
      expect.objectContaining({
        divisionCode: '430602',
        withinHunan: true,
        partyId: 'src-1',
        ruleCode: FOUR_PENALTIES_RULES.sourceUnitLoading,
        measure: 'order_correct',
      }),
    ]);
    expect(split.referrals[0]!.basis.map((b) => b.code)).toEqual(['HN-OLR-13', 'HN-OLR-30']);
  });

  it('outside Hunan the Hunan regulation does not reach the unit: a referral that cites none of it', () => {
    const split = partitionByAuthority(
      assessment,
      { ...registered, sourceUnitSite: '420106' },
      DEFAULT_FOUR_PENALTIES_POLICY,
    );
    expect(sourceUnitCodes(split)).toEqual([]);
    expect(split.referrals).toEqual([
      expect.objectContaining({ divisionCode: '420106', withinHunan: false }),
    ]);
    expect(split.referrals[0]!.basis.filter((b) => b.code.startsWith('HN-OLR'))).toEqual([]);
  });

  it('holds the unit while its site is unknown: no order, no fine, no referral, and says what to set', () => {
    const split = partitionByAuthority(assessment, registered, DEFAULT_FOUR_PENALTIES_POLICY);
    expect(sourceUnitCodes(split)).toEqual([]);
    expect(split.referrals).toEqual([]);
    expect(split.undetermined).toEqual([
      expect.objectContaining({
        plan: expect.objectContaining({ role: 'source_unit' }),
        reason: expect.stringContaining('sourceUnitSiteDivisionCode'),
      }),
    ]);
  });
});

describe('a sub-case decision waits for the decision of the trip that crossed the threshold', () => {
  const driver = assessment.plans.find((p) => p.ruleCode === FOUR_PENALTIES_RULES.driver)!;

  it('is not ready while the crossing trip (the parent case) is undecided', () => {
    expect(subCaseDecisionReadiness(driver, ['c1', 'c2', 'c3', 'c4'])).toEqual({
      ready: false,
      code: 'awaits_threshold_trip_decision',
      waitsFor: ['case-now'],
    });
    expect(subCaseDecisionReadiness(driver, new Set(['c1', 'c2', 'c3', 'c4', 'case-now']))).toEqual({
      ready: true,
      waitsFor: [],
    });
  });

  it('waits for every counted case, and applies to counted measures only', () => {
    expect(subCaseDecisionReadiness(driver, ['case-now']).waitsFor).toEqual(['c1', 'c2', 'c3', 'c4']);
    const fine = assessment.plans.find((p) => p.ruleCode === FOUR_PENALTIES_RULES.vehicleFine)!;
    expect(subCaseDecisionReadiness(fine, [])).toEqual({ ready: true, waitsFor: [] });
  });
});

describe('the referral of a source unit to the authority where it loaded (抄告)', () => {
  const ctx = {
    authority: '汨罗市交通运输局',
    issuedOn: '2025-03-05',
    unit: { name: '某砂石场', idNumber: '91420106MA4L00001X' },
    trip: {
      caseNumber: '汨交罚〔2025〕第0001号',
      violationDate: '2025-03-01',
      plate: '湘F12345',
      station: '汨罗S308检测点',
      loadingSlipNo: 'ZD-1',
    },
  };
  const referralAt = (site: string) =>
    partitionByAuthority(
      assessment,
      { vehicle: '430681', driver: '430681', enterprise: '430681', sourceUnitSite: site },
      DEFAULT_FOUR_PENALTIES_POLICY,
    ).referrals[0]!;

  it('within Hunan names the duty of Art. 13 and the order of Art. 30, and the competence of the place', () => {
    const text = sourceUnitReferralLines(referralAt('430602'), ctx).join('\n');
    expect(text).toContain('行政区划代码430602所在地交通运输主管部门：');
    expect(text).toContain('第十三条');
    expect(text).toContain('第三十条应责令限期改正');
    expect(text).toContain('《中华人民共和国行政处罚法》第二十二条');
  });

  it('cites the competence of the place where the violation took place from the catalogue (APL-22)', () => {
    const art22 = basisRef(BASIS.territorialJurisdiction, '2025-03-01');
    expect(art22).toEqual({ code: 'APL-22', article: '《中华人民共和国行政处罚法》第二十二条' });
    expect(sourceUnitReferralLines(referralAt('420106'), ctx).join('\n')).toContain(
      `依据${basisCitation(BASIS.territorialJurisdiction)}，应由违法行为发生地的行政机关管辖`,
    );
  });

  it('outside Hunan cites nothing of the Hunan regulation but says it does not apply', () => {
    const text = sourceUnitReferralLines(referralAt('420106'), ctx).join('\n');
    expect(text).not.toMatch(/第十三条|第三十条/);
    expect(text).toContain('《湖南省治理货物运输车辆超限超载条例》不适用于该单位');
  });
});
