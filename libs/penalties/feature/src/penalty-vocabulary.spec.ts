import { PENALTY_KINDS_BY_CASE_TYPE, type CaseType } from '@ecc/cases-domain';
import { PENALTY_KINDS } from '@ecc/legal-domain';
import {
  DEFAULT_FOUR_PENALTIES_POLICY,
  FOUR_PENALTIES_RULES,
  planFourPenalties,
  type OutcomeKind,
  type PenaltyRole,
  type SubCasePlan,
} from '@ecc/penalties-domain';
import {
  carrierOf,
  casePartyRoleOf,
  casePenaltyKindOf,
  sameRoleCodes,
  subCaseFacts,
} from './penalty-vocabulary';

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

describe('the 一超四罚 outcomes on cases (one vocabulary: penalties-domain, cases-domain, Prisma)', () => {
  it.each([
    [plan('vehicle', R.vehicleFine, 'fine'), 'fine', 'parent'],
    [plan('vehicle', R.vehicleFine, 'warning'), 'warning', 'parent'],
    [
      plan('vehicle', R.vehicleCertificate, 'certificate_revocation'),
      'certificate_revocation',
      'vehicle_certificate',
    ],
    [plan('driver', R.driver, 'order_stop_transport'), 'order_stop_transport', 'driver'],
    [plan('enterprise', R.enterprise, 'business_suspension'), 'business_suspension', 'enterprise'],
    [plan('enterprise', R.enterpriseSerious, 'licence_revocation'), 'licence_revocation', 'enterprise'],
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
      'business_suspension',
      'licence_revocation',
      'certificate_revocation',
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

  it('states as facts only what happened: the trips and their count against Art. 66, not the measure nor the policy', () => {
    const policy = {
      ...DEFAULT_FOUR_PENALTIES_POLICY,
      counting: {
        year: 'certificate_cycle' as const,
        trips: 'every_decided_trip' as const,
        provincialMarginPercent: 10,
      },
    };
    const trip = (caseId: string, violationDate: string) => ({
      caseId,
      violationDate,
      vehicleId: 'veh-1',
      driverId: 'drv-1',
      decidedOn: '2025-02-20',
    });
    const { plans } = planFourPenalties({
      violation: {
        caseId: 'case-now',
        plate: '湘F12345',
        violationDate: '2025-03-01',
        vehicle: {
          id: 'veh-1',
          owner: { id: 'own-1', name: '张三' },
          certificateFirstIssuedOn: '2020-05-10',
        },
        driver: { id: 'drv-1', name: '李四', qualificationFirstIssuedOn: '2019-09-01' },
        proposedVehiclePenalty: { kind: 'fine', amountYuan: 3_000 },
      },
      history: [trip('c1', '2024-09-01'), trip('c2', '2024-10-01'), trip('c3', '2024-11-01')],
      asOf: '2025-03-01',
      policy,
    });
    const driver = plans.find((p) => p.role === 'driver')!;
    const trips = ['c1', 'c2', 'c3', 'case-now'].map((caseId, i) => ({
      caseId,
      caseNumber: `汨交罚〔2024〕第000${i + 1}号`,
      violationDate: ['2024-09-01', '2024-10-01', '2024-11-01', '2025-03-01'][i]!,
      plate: '湘F12345',
      station: '汨罗S308检测点',
    }));
    const facts = subCaseFacts(driver, trips.reverse(), { plate: '湘F12345', violationDate: '2025-03-01' });
    expect(facts).toBe(
      '驾驶人李四驾驶车辆违法超限运输：' +
        '1. 2024-09-01，车辆湘F12345途经汨罗S308检测点，经检测违法超限运输（案号：汨交罚〔2024〕第0001号）；' +
        '2. 2024-10-01，车辆湘F12345途经汨罗S308检测点，经检测违法超限运输（案号：汨交罚〔2024〕第0002号）；' +
        '3. 2024-11-01，车辆湘F12345途经汨罗S308检测点，经检测违法超限运输（案号：汨交罚〔2024〕第0003号）；' +
        '4. 2025-03-01，车辆湘F12345途经汨罗S308检测点，经检测违法超限运输（案号：汨交罚〔2024〕第0004号）。' +
        '2024-09-01至2025-03-01期间该驾驶人违法超限运输计4次，超过《公路安全保护条例》第六十六条规定的3次。',
    );
    // Not the proposed measure (拟…), not the bureau's counting policy: those are the penalty and its row.
    expect(facts).not.toMatch(/拟|计数规则|本局执法政策|停止从事营业性运输/);

    const enterprise = {
      ...driver,
      role: 'enterprise' as const,
      ruleCode: R.enterpriseSerious,
      outcome: 'licence_revocation' as const,
      partyName: '汨罗市甲运输有限公司',
      counts: {
        ...driver.counts!,
        measure: 'enterprise_vehicles' as const,
        count: 3,
        threshold: 2,
        fleetSizeOnDate: 20,
      },
    };
    const serious = subCaseFacts(
      enterprise,
      trips,
      { plate: '湘F12345', violationDate: '2025-03-01' },
      '经约谈拒不整改',
    );
    expect(serious).toContain(
      '有违法超限运输行为的货运车辆计3辆，超过本单位货运车辆总数（20辆）的10%（2辆）',
    );
    expect(serious).toMatch(/情节：经约谈拒不整改$/);
    expect(serious).not.toMatch(/拟|停业整顿|吊销/);

    const source = subCaseFacts(
      {
        ...driver,
        role: 'source_unit',
        ruleCode: R.sourceUnitLoading,
        outcome: 'order_correct',
        partyName: '汨罗市丙砂石场',
        counts: null,
        evidenceCaseIds: ['case-now'],
      },
      trips,
      { plate: '湘F12345', violationDate: '2025-03-01', loadingSlipNo: 'ZD-1' },
    );
    expect(source).toBe(
      '2025-03-01，货运源头单位汨罗市丙砂石场为车辆湘F12345装载货物（装载单号：ZD-1），' +
        '该车途经汨罗S308检测点经检测违法超限运输（案号：汨交罚〔2024〕第0004号）。',
    );
    expect(source).not.toContain('指使');

    // 《公路安全保护条例》 Art. 68: the act fined is the instruction or forcing, stated as a fact (行政处罚法 Art. 59(2)).
    const instructed = subCaseFacts(
      {
        ...driver,
        role: 'source_unit',
        ruleCode: R.sourceUnitInstructed,
        outcome: 'fine',
        partyName: '汨罗市丙砂石场',
        counts: null,
        evidenceCaseIds: ['case-now'],
      },
      trips,
      { plate: '湘F12345', violationDate: '2025-03-01', loadingSlipNo: 'ZD-1' },
    );
    expect(instructed).toBe(
      '2025-03-01，货运源头单位汨罗市丙砂石场为车辆湘F12345装载货物（装载单号：ZD-1），' +
        '该车途经汨罗S308检测点经检测违法超限运输（案号：汨交罚〔2024〕第0004号）。' +
        '经调查，该单位指使、强令车辆驾驶人超限运输货物。',
    );
  });
});
