import { DomainError } from '@ecc/shared-kernel';
import { DEFAULT_FOUR_PENALTIES_POLICY } from './four-penalties.policy';
import { FOUR_PENALTIES_RULES, planFourPenalties, type FourPenaltiesInput } from './four-penalties.rules';
import { type RecordedTrip, type SubCasePlan, type ViolationUnderDecision } from './four-penalties.types';

const company = { id: 'ent-1', name: '汨罗某运输有限公司' };

function violation(overrides: Partial<ViolationUnderDecision> = {}): ViolationUnderDecision {
  return {
    caseId: 'case-now',
    plate: '湘F12345',
    violationDate: '2025-03-01',
    vehicle: { id: 'veh-1', owner: company, transportCertificateNo: '430681000001' },
    driver: { id: 'drv-1', name: '张三' },
    enterprise: { ...company, fleetSizeOnDate: 20 },
    sourceUnit: { id: 'src-1', name: '某砂石场', instructedOrForced: false },
    proposedVehiclePenalty: { kind: 'fine', amountYuan: 5_000 },
    ...overrides,
  };
}

/** A decided earlier trip of the same vehicle, driver and enterprise unless overridden. */
function trip(caseId: string, violationDate: string, overrides: Partial<RecordedTrip> = {}): RecordedTrip {
  return {
    caseId,
    violationDate,
    vehicleId: 'veh-1',
    driverId: 'drv-1',
    enterpriseId: 'ent-1',
    decidedOn: '2025-02-20',
    ...overrides,
  };
}

function plan(input: Partial<FourPenaltiesInput> & { violation?: ViolationUnderDecision }) {
  return planFourPenalties({ violation: violation(), history: [], asOf: '2025-03-01', ...input });
}

const byRule = (plans: SubCasePlan[], code: string) => plans.find((p) => p.ruleCode === code);
function ruleOf(plans: SubCasePlan[], code: string): SubCasePlan {
  const found = byRule(plans, code);
  if (!found) throw new Error(`no plan for ${code}`);
  return found;
}

describe('one overload, four penalties (一超四罚)', () => {
  it('passes the Art. 43 fine or warning proposed on the lead through to the vehicle owner', () => {
    const fined = ruleOf(plan({}).plans, FOUR_PENALTIES_RULES.vehicleFine);
    expect(fined).toMatchObject({ role: 'vehicle', partyId: 'ent-1', outcome: 'fine', amountYuan: 5_000 });
    expect(fined.basis).toEqual([
      expect.objectContaining({ article: expect.stringContaining('第四十三条') }),
    ]);

    const dimension = {
      code: 'ORR-43-1-1C',
      article: '《超限运输车辆行驶公路管理规定》第四十三条第一款第（一）项',
    };
    const byDimension = plan({
      violation: violation({
        proposedVehiclePenalty: { kind: 'fine', amountYuan: 2_000, basis: [dimension] },
      }),
    });
    expect(ruleOf(byDimension.plans, FOUR_PENALTIES_RULES.vehicleFine).basis).toEqual([dimension]);

    const warned = plan({ violation: violation({ proposedVehiclePenalty: { kind: 'warning' } }) });
    expect(byRule(warned.plans, FOUR_PENALTIES_RULES.vehicleFine)).toMatchObject({
      outcome: 'warning',
      amountYuan: null,
    });
  });

  describe('driver and vehicle, Art. 66: more than 3 trips within one year', () => {
    it('records a 3rd trip only, and shows the count, the cases and the threshold', () => {
      const result = plan({ history: [trip('c1', '2024-06-01'), trip('c2', '2024-12-01')] });
      const driver = ruleOf(result.plans, FOUR_PENALTIES_RULES.driver);
      expect(driver.outcome).toBe('record_only');
      expect(driver.counts).toMatchObject({
        measure: 'driver_trips',
        count: 3,
        threshold: 3,
        window: { from: '2024-03-01', to: '2025-03-01' },
        includesCurrentCase: true,
        caseIds: ['c1', 'c2', 'case-now'],
      });
      expect(byRule(result.plans, FOUR_PENALTIES_RULES.vehicleCertificate)).toBeUndefined();
      expect(result.counts.vehicleTrips.count).toBe(3);
    });

    it('stops the driver and revokes the vehicle certificate on the 4th trip', () => {
      const history = [trip('c1', '2024-06-01'), trip('c2', '2024-09-01'), trip('c3', '2024-12-01')];
      const result = plan({ history });
      expect(byRule(result.plans, FOUR_PENALTIES_RULES.driver)).toMatchObject({
        outcome: 'order_stop_transport',
        basis: [{ code: 'HSR-66-DRIVER' }],
        counts: { count: 4, threshold: 3 },
        evidenceCaseIds: ['c1', 'c2', 'c3', 'case-now'],
      });
      expect(byRule(result.plans, FOUR_PENALTIES_RULES.vehicleCertificate)).toMatchObject({
        role: 'vehicle',
        partyId: 'ent-1',
        outcome: 'certificate_revocation',
        basis: [{ code: 'HSR-66-VEHICLE' }],
        amountYuan: null,
        counts: { measure: 'vehicle_trips', count: 4 },
      });
    });

    it('counts a trip 365 days back and not one 366 days back', () => {
      const history = [trip('c1', '2024-06-01'), trip('c2', '2024-09-01')];
      const at365 = plan({ history: [...history, trip('c-365', '2024-03-01')] });
      expect(ruleOf(at365.plans, FOUR_PENALTIES_RULES.driver).counts).toMatchObject({ count: 4 });
      const at366 = plan({ history: [...history, trip('c-366', '2024-02-29')] });
      expect(byRule(at366.plans, FOUR_PENALTIES_RULES.driver)).toMatchObject({
        outcome: 'record_only',
        counts: { count: 3 },
      });
    });

    it('counts the same date a year back across 29 February (366 days), not a day more', () => {
      const leap = violation({ violationDate: '2024-03-01' });
      const decided = { decidedOn: '2024-01-10' };
      const history = [trip('c1', '2023-06-01', decided), trip('c2', '2023-09-01', decided)];
      const sameDate = plan({
        violation: leap,
        asOf: '2024-03-01',
        history: [...history, trip('c-366', '2023-03-01', decided)],
      });
      expect(sameDate.counts.driverTrips).toMatchObject({ count: 4 });
      const dayBefore = plan({
        violation: leap,
        asOf: '2024-03-01',
        history: [...history, trip('c-367', '2023-02-28', decided)],
      });
      expect(dayBefore.counts.driverTrips).toMatchObject({ count: 3 });
    });

    it('does not count an undecided lead, an annulled decision, or a decision after asOf', () => {
      const history = [
        trip('c1', '2024-06-01'),
        trip('c2', '2024-09-01'),
        trip('lead', '2024-12-01', { decidedOn: null }),
        trip('annulled', '2024-12-02', { annulled: true }),
        trip('later', '2024-12-03', { decidedOn: '2025-03-05' }),
      ];
      const result = plan({ history });
      expect(result.counts.driverTrips).toMatchObject({ count: 3, caseIds: ['c1', 'c2', 'case-now'] });
      expect(ruleOf(result.plans, FOUR_PENALTIES_RULES.driver).outcome).toBe('record_only');
    });

    it('counts the current case once even when it is already decided and in the history', () => {
      const result = plan({ history: [trip('case-now', '2025-03-01'), trip('c1', '2024-06-01')] });
      expect(result.counts.vehicleTrips.caseIds).toEqual(['c1', 'case-now']);
    });

    it('records instead of revoking when the vehicle holds no road transport certificate', () => {
      const history = [trip('c1', '2024-06-01'), trip('c2', '2024-09-01'), trip('c3', '2024-12-01')];
      const own = violation({ vehicle: { id: 'veh-1', owner: company, transportCertificateNo: null } });
      expect(
        byRule(plan({ violation: own, history }).plans, FOUR_PENALTIES_RULES.vehicleCertificate),
      ).toMatchObject({
        outcome: 'record_only',
      });
    });
  });

  describe('counting "within one year" (policy, 超限规定 Art. 46 ¶2)', () => {
    const history = [trip('c1', '2024-05-09'), trip('c2', '2024-05-10'), trip('c3', '2024-12-01')];
    const withPolicy = (counting: Partial<typeof DEFAULT_FOUR_PENALTIES_POLICY.counting>) => ({
      ...DEFAULT_FOUR_PENALTIES_POLICY,
      counting: { ...DEFAULT_FOUR_PENALTIES_POLICY.counting, ...counting },
    });

    it('says on each count which rule produced it (default: rolling 12 months, every decided trip)', () => {
      const result = plan({ history });
      expect(result.counts.driverTrips?.rule).toMatchObject({
        year: 'rolling_12_months',
        trips: 'every_decided_trip',
        source: 'policy',
      });
      expect(result.counts.driverTrips?.rule.description).toContain('滚动计算');
      expect(result.counts.vehicleTrips).toMatchObject({ count: 4, window: { from: '2024-03-01' } });
    });

    it("counts in the certificate's yearly cycle from its first issue, per certificate", () => {
      const cycles = violation({
        vehicle: {
          id: 'veh-1',
          owner: company,
          transportCertificateNo: 'X',
          certificateFirstIssuedOn: '2020-05-10',
        },
        driver: { id: 'drv-1', name: '张三', qualificationFirstIssuedOn: '2019-01-15' },
      });
      const result = plan({ violation: cycles, history, policy: withPolicy({ year: 'certificate_cycle' }) });
      // The vehicle's 5th cycle runs from 10 May 2024: the trip of 9 May is in the cycle before.
      expect(result.counts.vehicleTrips).toMatchObject({
        count: 3,
        window: { from: '2024-05-10', to: '2025-03-01' },
        caseIds: ['c2', 'c3', 'case-now'],
        rule: { year: 'certificate_cycle', cycleStart: '2024-05-10', certificateFirstIssuedOn: '2020-05-10' },
      });
      // The driver's cycle runs from 15 Jan 2025: only the current trip.
      expect(result.counts.driverTrips).toMatchObject({ count: 1, window: { from: '2025-01-15' } });
    });

    it('falls back to rolling 12 months when the first issue date is unknown, and says so', () => {
      const result = plan({ history, policy: withPolicy({ year: 'certificate_cycle' }) });
      expect(result.counts.vehicleTrips).toMatchObject({
        count: 4,
        rule: { year: 'rolling_12_months', fellBackFrom: 'certificate_cycle' },
      });
      expect(result.counts.vehicleTrips.rule.description).toContain('初次领证日期不明');
    });

    it('counts only trips over the provincial margin when the policy says so (10% over the limit)', () => {
      const over = (excessKg: number) => ({ excessKg, limitKg: 49_000 });
      const trips = [
        trip('c1', '2024-06-01', over(4_900)), // exactly 10%: not over the margin
        trip('c2', '2024-07-01', over(4_901)),
        trip('c3', '2024-08-01'), // excess unknown: not counted under this rule
      ];
      const policy = withPolicy({ trips: 'over_provincial_margin' });
      const result = plan({ violation: violation({ overload: over(6_000) }), history: trips, policy });
      expect(result.counts.driverTrips).toMatchObject({
        count: 2,
        caseIds: ['c2', 'case-now'],
        includesCurrentCase: true,
        excludedCaseIds: ['c1', 'c3'],
        rule: { trips: 'over_provincial_margin', provincialMarginPercent: 10 },
      });
      // A current trip within the margin is not a violation the count may rest on.
      const small = plan({ violation: violation({ overload: over(1_000) }), history: trips, policy });
      expect(small.counts.driverTrips).toMatchObject({ count: 1, includesCurrentCase: false });
      // Default: every decided trip counts.
      expect(plan({ history: trips }).counts.driverTrips).toMatchObject({ count: 4, excludedCaseIds: [] });
    });
  });

  describe('enterprise, Art. 66: vehicles with trips exceeding 10% of the fleet', () => {
    const otherVehicle = (caseId: string, vehicleId: string) =>
      trip(caseId, '2024-10-01', { vehicleId, driverId: `drv-${vehicleId}` });

    it('records at exactly 10% (2 of 20 vehicles) and suspends just over (3 of 20)', () => {
      const exactly = plan({ history: [otherVehicle('c1', 'veh-2'), otherVehicle('c2', 'veh-2')] });
      expect(byRule(exactly.plans, FOUR_PENALTIES_RULES.enterprise)).toMatchObject({
        outcome: 'record_only',
        counts: {
          measure: 'enterprise_vehicles',
          count: 2,
          threshold: 2,
          fleetSizeOnDate: 20,
          vehicleIds: ['veh-1', 'veh-2'],
        },
      });
      const over = plan({ history: [otherVehicle('c1', 'veh-2'), otherVehicle('c2', 'veh-3')] });
      expect(byRule(over.plans, FOUR_PENALTIES_RULES.enterprise)).toMatchObject({
        role: 'enterprise',
        outcome: 'business_suspension',
        basis: [{ code: 'HSR-66-ENTERPRISE' }],
        counts: { count: 3, threshold: 2, caseIds: ['c1', 'c2', 'case-now'] },
      });
    });

    it('compares with the fleet registered on the date, without rounding (3 of 25 = 12% > 10%)', () => {
      const fleet25 = violation({ enterprise: { ...company, fleetSizeOnDate: 25 } });
      const history = [otherVehicle('c1', 'veh-2'), otherVehicle('c2', 'veh-3')];
      expect(
        ruleOf(plan({ violation: fleet25, history }).plans, FOUR_PENALTIES_RULES.enterprise).outcome,
      ).toBe('business_suspension');
      const fleet30 = violation({ enterprise: { ...company, fleetSizeOnDate: 30 } });
      expect(
        ruleOf(plan({ violation: fleet30, history }).plans, FOUR_PENALTIES_RULES.enterprise).outcome,
      ).toBe('record_only');
    });

    it('counts a vehicle that changed enterprise for the enterprise it belonged to at each trip', () => {
      // veh-9 overloaded twice while with ent-2, then joined ent-1 and has not overloaded since.
      const history = [
        otherVehicle('c1', 'veh-2'),
        trip('c2', '2024-05-01', { vehicleId: 'veh-9', driverId: 'drv-9', enterpriseId: 'ent-2' }),
        trip('c3', '2024-07-01', { vehicleId: 'veh-9', driverId: 'drv-9', enterpriseId: 'ent-2' }),
      ];
      const forOld = plan({ history });
      expect(forOld.counts.enterpriseVehicles).toMatchObject({ count: 2, vehicleIds: ['veh-1', 'veh-2'] });

      // The same vehicle's trip now, under ent-1, counts for ent-1; its earlier trips stay with ent-2.
      const moved = violation({
        caseId: 'case-moved',
        vehicle: { id: 'veh-9', owner: company },
        driver: { id: 'drv-9', name: '李四' },
      });
      expect(plan({ violation: moved, history }).counts.enterpriseVehicles).toMatchObject({
        count: 2,
        vehicleIds: ['veh-2', 'veh-9'],
        caseIds: ['c1', 'case-moved'],
      });
      const forNew = planFourPenalties({
        violation: violation({
          caseId: 'case-ent2',
          vehicle: { id: 'veh-7', owner: { id: 'ent-2', name: '乙公司' } },
          enterprise: { id: 'ent-2', name: '乙公司', fleetSizeOnDate: 10 },
        }),
        history,
        asOf: '2025-03-01',
      });
      expect(forNew.counts.enterpriseVehicles).toMatchObject({ count: 2, vehicleIds: ['veh-7', 'veh-9'] });
    });

    it('escalates to revocation and publicity only on the approver’s recorded decision', () => {
      const escalation = { approverId: 'u-approver', reasons: '一年内多次拒不整改', decidedOn: '2025-03-01' };
      const serious = violation({
        enterprise: { ...company, fleetSizeOnDate: 20, seriousEscalation: escalation },
      });
      const history = [otherVehicle('c1', 'veh-2'), otherVehicle('c2', 'veh-3')];
      expect(
        byRule(plan({ violation: serious, history }).plans, FOUR_PENALTIES_RULES.enterpriseSerious),
      ).toMatchObject({
        outcome: 'licence_revocation',
        escalation,
        publicise: true,
      });
      expect(() => plan({ violation: serious, history: [] })).toThrow(
        expect.objectContaining({ code: 'serious_escalation_below_threshold' }),
      );
      const noReasons = violation({
        enterprise: { ...company, fleetSizeOnDate: 20, seriousEscalation: { ...escalation, reasons: ' ' } },
      });
      expect(() => plan({ violation: noReasons, history })).toThrow(DomainError);
    });
  });

  describe('cargo source unit (湖南条例 Arts. 13, 30; 条例 Art. 68)', () => {
    it('orders a unit that loaded the overloaded vehicle to correct within a period, and fines nothing yet', () => {
      const order = ruleOf(plan({}).plans, FOUR_PENALTIES_RULES.sourceUnitLoading);
      expect(order).toMatchObject({
        role: 'source_unit',
        partyId: 'src-1',
        outcome: 'order_correct',
        amountYuan: null,
        basis: [{ code: 'HN-OLR-30' }],
        correction: {
          periodDays: 15,
          counting: 'calendar_days',
          fineIfNotCorrected: { minYuan: 10_000, maxYuan: 30_000 },
        },
      });
      expect(order.amountRange).toBeUndefined();
      // The order is no fine: the trip's only fines are the vehicle's.
      expect(
        plan({})
          .plans.filter((p) => p.outcome === 'fine')
          .map((p) => p.role),
      ).toEqual(['vehicle']);
    });

    it('takes the correction period from the policy', () => {
      const policy = {
        ...DEFAULT_FOUR_PENALTIES_POLICY,
        sourceUnitCorrection: { periodDays: 10, counting: 'working_days' as const },
      };
      expect(ruleOf(plan({ policy }).plans, FOUR_PENALTIES_RULES.sourceUnitLoading).correction).toMatchObject(
        {
          periodDays: 10,
          counting: 'working_days',
        },
      );
    });

    it('fines a unit that instructed or forced the overload directly, up to 30,000 yuan, once (Art. 68)', () => {
      const forced = violation({ sourceUnit: { id: 'src-1', name: '某砂石场', instructedOrForced: true } });
      const sourcePlans = plan({ violation: forced }).plans.filter((p) => p.role === 'source_unit');
      expect(sourcePlans).toHaveLength(1);
      expect(sourcePlans[0]).toMatchObject({
        ruleCode: FOUR_PENALTIES_RULES.sourceUnitInstructed,
        outcome: 'fine',
        amountRange: { minYuan: 0, maxYuan: 30_000 },
        basis: [{ code: 'HSR-68', article: '《公路安全保护条例》第六十八条' }],
      });
      expect(sourcePlans[0]?.correction).toBeUndefined();
      expect(sourcePlans[0]?.notes.join()).toContain('责令改正');
    });

    it('takes the amount chosen within the Art. 68 range with reasons, and refuses others', () => {
      const forced = (fine: { amountYuan: number; reasons: string }) =>
        violation({ sourceUnit: { id: 'src-1', name: '某砂石场', instructedOrForced: true, fine } });
      expect(
        ruleOf(
          plan({ violation: forced({ amountYuan: 10_000, reasons: '指使超载，首次' }) }).plans,
          FOUR_PENALTIES_RULES.sourceUnitInstructed,
        ),
      ).toMatchObject({ amountYuan: 10_000, amountReasons: '指使超载，首次' });
      for (const amountYuan of [0, 30_001, 100.5]) {
        expect(() => plan({ violation: forced({ amountYuan, reasons: '指使超载' }) })).toThrow(
          expect.objectContaining({ code: 'source_unit_fine_out_of_range' }),
        );
      }
      expect(() => plan({ violation: forced({ amountYuan: 100, reasons: ' ' }) })).toThrow(
        expect.objectContaining({ code: 'discretion_reasons_required' }),
      );
    });

    it('refuses a fine chosen for a unit that is only ordered to correct', () => {
      const fined = violation({
        sourceUnit: {
          id: 'src-1',
          name: '某砂石场',
          instructedOrForced: false,
          fine: { amountYuan: 10_000, reasons: '按次处罚' },
        },
      });
      expect(() => plan({ violation: fined })).toThrow(
        expect.objectContaining({ code: 'source_unit_fine_before_correction_check' }),
      );
    });
  });

  it('gives a party with several roles one sub-case per role and never a doubled fine', () => {
    const concrete = { id: 'co-A', name: '甲混凝土有限公司' };
    const result = plan({
      violation: violation({
        vehicle: { id: 'mixer-1', owner: concrete, transportCertificateNo: 'A-1' },
        enterprise: { ...concrete, fleetSizeOnDate: 40 },
        sourceUnit: {
          ...concrete,
          instructedOrForced: true,
          fine: { amountYuan: 20_000, reasons: '指使超载' },
        },
      }),
    });
    const ofCompany = result.plans.filter((p) => p.partyId === 'co-A');
    expect(ofCompany.map((p) => p.role)).toEqual(['vehicle', 'enterprise', 'source_unit']);
    const fines = ofCompany.filter((p) => p.outcome === 'fine');
    expect(fines.map((p) => [p.role, p.amountYuan])).toEqual([
      ['vehicle', 5_000],
      ['source_unit', 20_000],
    ]);
  });

  it('lists the roles the investigation has not identified yet', () => {
    const result = plan({ violation: violation({ driver: null, sourceUnit: null, enterprise: null }) });
    expect(result.unidentifiedRoles).toEqual(['driver', 'source_unit']);
    expect(result.plans.map((p) => p.role)).toEqual(['vehicle']);
  });

  it('refuses inputs it cannot assess', () => {
    expect(() => plan({ asOf: '2025-02-01' })).toThrow(expect.objectContaining({ category: 'validation' }));
    expect(() => plan({ violation: violation({ enterprise: { ...company, fleetSizeOnDate: 0 } }) })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});
