import {
  calibrationFor,
  detectionFacts,
  deviceFacts,
  evidenceKindsOf,
  permitFacts,
  plateSpellings,
  type DetectionRow,
} from './screening-facts';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe('stored rows as screening facts', () => {
  const row: DetectionRow = {
    id: 'd1',
    stationDetectionId: 'S308-K12-20241105-000123',
    plate: '湘F12345',
    plateColour: 'yellow',
    detectedAt: new Date('2024-11-05T00:31:12Z'),
    axleCount: 6,
    grossMassKg: 58_200,
    axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100],
    lengthMm: 16_500,
    widthMm: 2_550,
    heightMm: 3_950,
    raw: {
      trailerPlate: '湘F6789挂',
      vehicle: { axleCount: 6, combination: true, singleDriveAxle: false, singleTyreAxles: 0 },
    },
  };
  const vehicle = { axleCount: 6, combination: true, singleDriveAxle: false, singleTyreAxles: 0 };

  it('reads the axle configuration beyond the count from the record as the station sent it', () => {
    const facts = detectionFacts(row, 'S308-K12', ['plate_front']);
    expect(facts).toMatchObject({
      stationCode: 'S308-K12',
      plate: { number: '湘F12345', color: 'yellow' },
      trailerPlate: '湘F6789挂',
      vehicle: {
        axleCount: 6,
        combination: true,
        singleDriveAxle: false,
        singleTyreAxles: 0,
        widthMm: 2_550,
      },
      weighing: { grossKg: 58_200 },
      evidenceKinds: ['plate_front'],
    });
  });

  it('reads the wide-base tyre axles the station named, and a weigh-only record without dimensions', () => {
    const wide = detectionFacts(
      {
        ...row,
        lengthMm: null,
        widthMm: null,
        heightMm: null,
        raw: { vehicle: { ...vehicle, singleTyreAxles: 3, wideBaseTyreAxles: [4, 5, 6] } },
      },
      'S308-K12',
      [],
    );
    expect(wide.vehicle).toMatchObject({
      singleTyreAxles: 3,
      wideBaseTyreAxles: 3,
      wideBaseTyreAxlePositions: [4, 5, 6],
    });
    expect(wide.vehicle.lengthMm).toBeUndefined();
    expect(wide.vehicle.heightMm).toBeUndefined();
    // Anything but a list of axle numbers is not read as wide-base axles.
    const odd = detectionFacts({ ...row, raw: { vehicle: { wideBaseTyreAxles: 'all' } } }, 'S', []);
    expect(odd.vehicle.wideBaseTyreAxles).toBeUndefined();
  });

  it('gives no plate for an empty number or an unknown colour (the rules then call it unreadable)', () => {
    expect(detectionFacts({ ...row, plate: '' }, 'S', []).plate).toBeNull();
    expect(detectionFacts({ ...row, plateColour: null }, 'S', []).plate).toBeNull();
    expect(detectionFacts({ ...row, raw: null }, 'S', []).vehicle.combination).toBe(false);
  });

  it('reads stored evidence kinds (the protocol’s; a document scan as other), ignoring objects whose bytes did not match', () => {
    expect(
      evidenceKindsOf([
        { kind: 'plate_front', integrityStatus: 'intact' },
        { kind: 'plate_rear', integrityStatus: 'unverified' },
        { kind: 'side', integrityStatus: 'mismatch' },
        { kind: 'document_scan', integrityStatus: 'intact' },
      ]),
    ).toEqual(['plate_front', 'plate_rear', 'other']);
  });

  it('judges calibration by the certificate valid on the local day, else the latest one started before', () => {
    const certs = [
      { certificateNo: 'A', validFrom: day('2023-01-01'), validTo: day('2023-12-31') },
      { certificateNo: 'B', validFrom: day('2024-01-01'), validTo: day('2024-11-04') },
      { certificateNo: 'C', validFrom: day('2025-01-01'), validTo: day('2025-12-31') },
    ];
    // 00:30 on 5 November in Beijing is still 4 November in UTC: B has expired by the local day.
    expect(calibrationFor(certs, new Date('2024-11-04T16:30:00Z'), 'Asia/Shanghai')?.certificateNo).toBe('B');
    expect(calibrationFor(certs, new Date('2024-11-03T16:30:00Z'), 'Asia/Shanghai')?.certificateNo).toBe('B');
    expect(calibrationFor(certs, new Date('2022-06-01T00:00:00Z'), 'Asia/Shanghai')).toBeNull();
  });

  it('turns a device into facts with local days and its own tolerance; an unknown device has no approval', () => {
    const device = {
      code: 'WIM-01',
      accuracyClass: '5',
      tolerancePercent: { toString: () => '2.50' },
      legalReviewDate: day('2024-01-10'),
      technicalReviewDate: null,
      publishedDate: day('2024-01-15'),
    };
    const cert = { certificateNo: 'B', validFrom: day('2024-01-01'), validTo: day('2024-12-31') };
    expect(deviceFacts(device, cert, 'X')).toEqual({
      code: 'WIM-01',
      legalReviewedAt: '2024-01-10',
      technicalReviewedAt: null,
      publishedAt: '2024-01-15',
      calibration: { certificateNo: 'B', validFrom: '2024-01-01', validTo: '2024-12-31' },
      accuracyClass: '5',
      tolerance: { kind: 'percent_of_gross', percent: 2.5 },
    });
    expect(deviceFacts(null, null, 'WIM-09')).toMatchObject({
      code: 'WIM-09',
      legalReviewedAt: null,
      calibration: null,
    });
  });

  it('leaves out permits without a permitted gross mass, and looks plates up as sent and normalised', () => {
    expect(
      permitFacts([
        {
          permitNo: 'P1',
          plate: '湘A99999',
          validFrom: day('2024-11-01'),
          validTo: day('2024-11-30'),
          maxGrossMassKg: 60_000,
        },
        {
          permitNo: null,
          plate: '湘A99999',
          validFrom: day('2024-11-01'),
          validTo: day('2024-11-30'),
          maxGrossMassKg: null,
        },
      ]),
    ).toEqual([
      {
        permitNo: 'P1',
        plate: '湘A99999',
        validFrom: '2024-11-01',
        validTo: '2024-11-30',
        maxGrossKg: 60_000,
      },
    ]);
    expect(plateSpellings('湘f 12345', null, '湘F6789挂')).toEqual(['湘f 12345', '湘F12345', '湘F6789挂']);
  });
});
