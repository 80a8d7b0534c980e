import { readCsvImport, readJsonImport } from './registry-import';
import { isResidentIdNumber, isUnifiedSocialCreditCode } from './registry-formats';

const vehicle = {
  plate: '湘F12345',
  plateColour: 'yellow',
  ownerName: '张三',
  ownerPhone: '13800138000',
  ownerIdNumber: '11010519491231002X',
  enterpriseLicenceNo: '430100001234',
  transportCertificateNo: '430100123456',
};

describe('identity numbers', () => {
  it('checks the resident ID check character and birth date (GB 11643)', () => {
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(isResidentIdNumber('110105194912310021')).toBe(false); // wrong check character
    expect(isResidentIdNumber('110105194902300028')).toBe(false); // 30 February
    expect(isResidentIdNumber('11010519491231002x')).toBe(false); // upper-case X only (schemas upper-case first)
  });

  it('checks the unified social credit code check character (GB 32100)', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true);
    expect(isUnifiedSocialCreditCode('91350100M000100Y44')).toBe(false);
    expect(isUnifiedSocialCreditCode('91350100M000100I43')).toBe(false); // I is not in the alphabet
  });
});

describe('JSON imports', () => {
  it('normalises plates and Chinese plate colours', () => {
    const parsed = readJsonImport('vehicles', {
      rows: [{ ...vehicle, plate: '湘f·12345', plateColour: '黄', axleCount: 6 }],
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0]!.value).toMatchObject({ plate: '湘F12345', plateColour: 'yellow', axleCount: 6 });
  });

  it('reports every bad row by its index and field', () => {
    const parsed = readJsonImport('vehicles', {
      rows: [
        vehicle,
        { ...vehicle, plate: 'ABC', ownerPhone: '123' },
        { ...vehicle, plate: '湘F54321', extra: 1 },
      ],
    });
    expect(parsed.errors).toEqual([
      { path: 'rows.1.plate', message: expect.stringContaining('plate number') },
      { path: 'rows.1.ownerPhone', message: expect.stringContaining('mobile number') },
      { path: 'rows.2', message: expect.stringContaining('extra') },
    ]);
  });

  it('refuses a record listed twice in one file, naming the first', () => {
    const parsed = readJsonImport('vehicles', { rows: [vehicle, { ...vehicle, plate: '湘F 12345' }] });
    expect(parsed.errors).toEqual([{ path: 'rows.1.plate', message: expect.stringContaining('rows.0') }]);
  });

  it('wants {rows: [...]} with at least one row', () => {
    expect(readJsonImport('drivers', []).errors).toEqual([{ path: 'body', message: expect.any(String) }]);
    expect(readJsonImport('drivers', { rows: [] }).errors).toEqual([
      { path: 'rows', message: 'at least one row' },
    ]);
    expect(readJsonImport('drivers', { rows: [], x: 1 }).errors).toHaveLength(2);
  });
});

describe('CSV imports', () => {
  const header = 'name,socialCreditCode,licenceNo,fleetSize,contactPhone';

  it('reads a header and rows, integers as numbers and empty cells as absent', () => {
    const parsed = readCsvImport(
      'enterprises',
      `\uFEFF${header},fleetSizeEffectiveFrom\n长沙某某物流有限公司,91350100M000100Y43,430100001234,40,0731-88886666,\n"某某建材, 有限公司",91430681MA4L00001N,430100005678,12,13900001111,2024-01-01\n`,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.locator, r.value])).toEqual([
      [
        { format: 'csv', line: 2 },
        {
          name: '长沙某某物流有限公司',
          socialCreditCode: '91350100M000100Y43',
          licenceNo: '430100001234',
          fleetSize: 40,
          contactPhone: '0731-88886666',
        },
      ],
      [
        { format: 'csv', line: 3 },
        {
          name: '某某建材, 有限公司',
          socialCreditCode: '91430681MA4L00001N',
          licenceNo: '430100005678',
          fleetSize: 12,
          contactPhone: '13900001111',
          fleetSizeEffectiveFrom: '2024-01-01',
        },
      ],
    ]);
  });

  it('numbers lines as a spreadsheet does (header = 1), past blank lines and multi-line cells', () => {
    const parsed = readCsvImport(
      'source-units',
      'name,socialCreditCode,address\n' +
        '甲搅拌站,91350100M000100Y43,"长沙市\n岳麓区"\n' +
        '\n' +
        '乙搅拌站,91350100M000100Y44,长沙市\n' +
        '丙搅拌站,,长沙市\n' +
        '丁搅拌站,91430102MA4PBQ6A16\n',
    );
    expect(parsed.errors).toEqual([
      { path: 'line 5: socialCreditCode', message: expect.stringContaining('check character') },
      { path: 'line 6: socialCreditCode', message: 'required' },
      { path: 'line 7', message: '2 fields where the header has 3' },
    ]);
    expect(parsed.rows.map((r) => r.locator)).toEqual([{ format: 'csv', line: 2 }]);
  });

  it('checks the header before any row', () => {
    expect(readCsvImport('enterprises', 'name,licenceNo,fleet,contactPhone\nx,y,1,z\n').errors).toEqual([
      { path: 'line 1', message: expect.stringContaining('unknown column "fleet"') },
      { path: 'line 1', message: 'missing column "socialCreditCode"' },
      { path: 'line 1', message: 'missing column "fleetSize"' },
    ]);
    expect(readCsvImport('enterprises', '').errors).toEqual([
      { path: 'line 1', message: expect.any(String) },
    ]);
    expect(readCsvImport('enterprises', `${header}\n`).errors).toEqual([
      { path: 'line 2', message: 'at least one row' },
    ]);
  });

  it('reports malformed CSV by line without quoting its content', () => {
    const parsed = readCsvImport(
      'drivers',
      'name,idNumber,qualificationCertificateNo,phone\n"李四,secret-ish\n',
    );
    expect(parsed.errors).toEqual([
      { path: expect.stringMatching(/^line \d+$/), message: expect.stringContaining('not closed') },
    ]);
    expect(JSON.stringify(parsed.errors)).not.toContain('secret-ish');
  });

  it('reads a non-integer in an integer column as an error of that cell', () => {
    const parsed = readCsvImport(
      'enterprises',
      `${header}\n某公司,91350100M000100Y43,430100001234,forty,13900001111\n`,
    );
    expect(parsed.errors).toEqual([{ path: 'line 2: fleetSize', message: expect.any(String) }]);
  });
});
