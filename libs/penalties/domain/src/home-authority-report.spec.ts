import { DEFAULT_FOUR_PENALTIES_POLICY } from './four-penalties.policy';
import { planFourPenalties } from './four-penalties.rules';
import { partitionByAuthority } from './deciding-authority';
import {
  HOME_AUTHORITY_REPORT_TITLE,
  homeAuthorityReportLines,
  homeAuthorityReportText,
  type HomeAuthorityReportContext,
} from './home-authority-report';
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

const context = (): HomeAuthorityReportContext => ({
  authority: '汨罗市交通运输综合行政执法大队',
  issuedOn: '2025-03-10',
  addressee: null,
  party: { name: enterprise.name, idNumber: '91430602MA4L00001X' },
  cases: [
    {
      caseId: 'c1',
      caseNumber: '汨交罚〔2024〕第0012号',
      violationDate: '2024-06-01',
      plate: '湘F00002',
      decision: {
        documentNumber: '汨交罚〔2024〕第0012号-JD-01',
        penalty: '罚款人民币2000元',
        decidedOn: '2024-06-11',
      },
    },
    { caseId: 'case-now', caseNumber: null, violationDate: '2025-03-01', plate: '湘F12345', decision: null },
  ],
});

describe('the report of an Art. 66 measure to the home authority (抄告, 超限规定 Art. 46)', () => {
  const [report] = partitionByAuthority(
    assessment,
    { vehicle: '430602', enterprise: '430602' },
    DEFAULT_FOUR_PENALTIES_POLICY,
  ).reports;

  it('names the party, the measure reached, the count with its rule, every counted case and the basis', () => {
    expect(report).toBeDefined();
    const text = homeAuthorityReportText(report!, context());
    expect(text.split('\n')[0]).toBe(HOME_AUTHORITY_REPORT_TITLE);
    // Addressed by its division code when the registry has no name for it.
    expect(text.split('\n')[1]).toBe('登记地（行政区划代码430602）道路运输管理机构：');
    expect(text).toContain('岳阳某运输有限公司（统一社会信用代码：91430602MA4L00001X）');
    expect(text).toContain('责令停业整顿');
    expect(text).toContain('2辆');
    expect(text).toContain('货运车辆总数10辆');
    expect(text).toContain(report!.counts.rule.description);
    // Every counted case with the decision that confirmed it; the current trip is not decided yet.
    expect(text).toContain(
      '1. 汨交罚〔2024〕第0012号，2024-06-01，湘F00002，2024年6月11日作出处罚决定（汨交罚〔2024〕第0012号-JD-01，罚款人民币2000元）',
    );
    expect(text).toContain('2. 本案（2025-03-01，湘F12345），尚未作出处罚决定');
    expect(text).toContain('《超限运输车辆行驶公路管理规定》第四十六条');
    expect(text).toContain('不在本局管辖区域');
    // The bureau and the date close it on one line, where the seal goes.
    expect(text.split('\n').at(-1)).toBe('汨罗市交通运输综合行政执法大队\u30002025年3月10日');
    // No 决定 of the measure: the report asks the competent authority to decide it.
    expect(text).not.toMatch(/决定如下|责令你/);
  });

  it('is addressed to the home authority by name when the registry knows it, and says what was not recorded', () => {
    const c1 = context().cases[0]!;
    const lines = homeAuthorityReportLines(report!, {
      ...context(),
      addressee: '岳阳市道路运输事务中心',
      cases: [
        {
          ...c1,
          caseNumber: null,
          decision: { documentNumber: null, penalty: null, decidedOn: '2024-06-11' },
        },
        context().cases[1]!,
      ],
    });
    expect(lines[0]).toBe('岳阳市道路运输事务中心：');
    expect(lines.join('\n')).toContain('登记地（行政区划代码430602）不在本局管辖区域');
    expect(lines).toContain('1. 案件c1，2024-06-01，湘F00002，2024年6月11日作出处罚决定');
  });

  it('refuses to write a report whose counted cases it was not given', () => {
    expect(() => homeAuthorityReportText(report!, { ...context(), cases: [context().cases[0]!] })).toThrow(
      /case-now/,
    );
  });
});
