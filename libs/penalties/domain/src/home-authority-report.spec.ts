import { DEFAULT_FOUR_PENALTIES_POLICY } from './four-penalties.policy';
import { planFourPenalties } from './four-penalties.rules';
import { partitionByAuthority } from './deciding-authority';
import { homeAuthorityReportText } from './home-authority-report';
import { type RecordedTrip } from './four-penalties.types';

const trip = (caseId: string, violationDate: string, vehicleId: string): RecordedTrip => ({
  caseId,
  violationDate,
  vehicleId,
  driverId: 'drv-1',
  enterpriseId: 'ent-1',
  decidedOn: '2025-02-20',
});
const enterprise = { id: 'ent-1', name: '岳阳某运输有限公司' };
const assessment = planFourPenalties({
  violation: {
    caseId: 'case-now',
    plate: '湘F12345',
    violationDate: '2025-03-01',
    vehicle: { id: 'veh-1', owner: enterprise, transportCertificateNo: '430602000001' },
    driver: null,
    enterprise: { ...enterprise, fleetSizeOnDate: 10 },
    sourceUnit: null,
    proposedVehiclePenalty: { kind: 'fine', amountYuan: 5_000 },
  },
  history: [trip('c1', '2024-06-01', 'veh-2')],
  asOf: '2025-03-01',
});

describe('the report of an Art. 66 measure to the home authority (抄告, 超限规定 Art. 46)', () => {
  const [report] = partitionByAuthority(
    assessment,
    { vehicle: '430602', enterprise: '430602' },
    DEFAULT_FOUR_PENALTIES_POLICY,
  ).reports;

  it('names the party, the measure reached, the count with its rule, every counted case and the basis', () => {
    expect(report).toBeDefined();
    const text = homeAuthorityReportText(report!, {
      authority: '汨罗市交通运输综合行政执法大队',
      issuedOn: '2025-03-10',
      party: { name: enterprise.name, idNumber: '91430602MA4L00001X' },
      cases: [
        {
          caseId: 'c1',
          caseNumber: '汨交罚〔2024〕第0012号',
          violationDate: '2024-06-01',
          plate: '湘F00002',
        },
        { caseId: 'case-now', caseNumber: null, violationDate: '2025-03-01', plate: '湘F12345' },
      ],
    });
    expect(text).toContain('行政区划代码430602');
    expect(text).toContain('岳阳某运输有限公司（统一社会信用代码：91430602MA4L00001X）');
    expect(text).toContain('责令停业整顿');
    expect(text).toContain('2辆');
    expect(text).toContain('货运车辆总数10辆');
    expect(text).toContain(report!.counts.rule.description);
    expect(text).toContain('1. 汨交罚〔2024〕第0012号，2024-06-01，湘F00002');
    expect(text).toContain('2. 本案（2025-03-01，湘F12345）');
    expect(text).toContain('《超限运输车辆行驶公路管理规定》第四十六条');
    expect(text).toContain('不在本局管辖区域');
    expect(text).toContain('汨罗市交通运输综合行政执法大队');
    expect(text).toContain('2025年3月10日');
    // No 决定 of the measure: the report asks the competent authority to decide it.
    expect(text).not.toMatch(/决定如下|责令你/);
  });

  it('refuses to write a report whose counted cases it was not given', () => {
    expect(() =>
      homeAuthorityReportText(report!, {
        authority: '汨罗市交通运输综合行政执法大队',
        issuedOn: '2025-03-10',
        party: { name: enterprise.name, idNumber: null },
        cases: [{ caseId: 'c1', caseNumber: null, violationDate: '2024-06-01', plate: '湘F00002' }],
      }),
    ).toThrow(/case-now/);
  });
});
