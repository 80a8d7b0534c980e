import {
  authorityNameSchema,
  divisionCodeOfCreditCode,
  divisionCodeSchema,
  isResidentIdNumber,
  isUnifiedSocialCreditCode,
  partyIdNumberSchema,
  partyIdentityIssue,
  partyIdNumberValid,
  partyKindOf,
} from './registry-formats';
import { z } from 'zod';
import { readJsonImport } from './registry-import';
import { driverRowSchema } from './registry-rows.schema';

describe('one legal person, one party: the numbers parties are matched on', () => {
  it('checks resident identity numbers in the GB 11643-1999 format: the standard’s examples and real-format ones', () => {
    // The two examples printed in GB 11643-1999 itself.
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(isResidentIdNumber('440524188001010014')).toBe(true);
    // 汨罗市 (430681), 1985-06-12: check characters computed with ISO 7064 MOD 11-2.
    expect(isResidentIdNumber('430681198506123014')).toBe(true);
    expect(isResidentIdNumber('430681198506123016')).toBe(false);
    // 15-digit first-generation numbers, spaces, lower-case x, impossible birth dates: refused.
    expect(isResidentIdNumber('110105491231002')).toBe(false);
    expect(isResidentIdNumber('11010519491231002x')).toBe(false);
    expect(isResidentIdNumber('430681198502303012')).toBe(false);
  });

  it('checks unified social credit codes in the GB 32100-2015 format', () => {
    // The example of GB 32100-2015, and codes of the same shape registered in 汨罗市 (430681).
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true);
    expect(isUnifiedSocialCreditCode('91430681MA4L00001N')).toBe(true);
    expect(isUnifiedSocialCreditCode('91430681MA4L00001P')).toBe(false);
    // Letters outside the code's alphabet (I, O, S, V, Z), lower case, 15-digit registration numbers.
    expect(isUnifiedSocialCreditCode('91430681MA4L0000ON')).toBe(false);
    expect(isUnifiedSocialCreditCode('91430681ma4l00001n')).toBe(false);
    expect(isUnifiedSocialCreditCode('430681000012345')).toBe(false);
  });

  it('checks the number a party is known by against its kind: a person by the ID number, an organisation by the credit code', () => {
    expect(partyIdentityIssue('person', '430681198506123014')).toBeNull();
    expect(partyIdentityIssue('organisation', '91430681MA4L00001N')).toBeNull();
    // A number of the other kind, a bad check character, a free text: each refused with the reason.
    expect(partyIdentityIssue('person', '91430681MA4L00001N')).toMatch(/resident ID/);
    expect(partyIdentityIssue('organisation', '440524188001010014')).toMatch(/unified social credit code/);
    expect(partyIdentityIssue('person', '430681198506123016')).toMatch(/resident ID/);
    expect(partyIdentityIssue('organisation', '91430681MA4L00001P')).toMatch(/unified social credit code/);
    expect(partyIdentityIssue('organisation', 'ABC-123')).not.toBeNull();
    // As typed: surrounding spaces and a lower-case x or letters are normalised before the check, so that the
    // same legal person is matched whatever the spelling.
    expect(partyIdNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(partyIdNumberSchema.parse('91430681ma4l00001n')).toBe('91430681MA4L00001N');
  });

  it('tells a party’s kind by its number, and by its name where the number passes both checks', () => {
    expect(partyKindOf('汨罗市甲混凝土有限公司', '91430681MA4L00001N')).toBe('organisation');
    expect(partyKindOf('张三', '440524188001010014')).toBe('person');
    // 430681198506123014 is a valid ID number and, by chance, a well-formed credit code too.
    expect(isUnifiedSocialCreditCode('430681198506123014')).toBe(true);
    expect(partyKindOf('张三', '430681198506123014')).toBe('person');
    expect(partyKindOf('汨罗市乙运输有限公司', '430681198506123014')).toBe('organisation');
    expect(partyKindOf('汨罗市丙砂石厂')).toBe('organisation');
    expect(partyKindOf('李四')).toBe('person');
  });

  it('reads the registering division from a credit code (its 3rd to 8th characters)', () => {
    expect(divisionCodeOfCreditCode('91430681MA4L00001N')).toBe('430681');
    expect(divisionCodeOfCreditCode('91350100M000100Y43')).toBe('350100');
    expect(divisionCodeSchema.safeParse('430681').success).toBe(true);
    for (const bad of ['43068', '4306810', '930681', '43068A', '']) {
      expect(divisionCodeSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('requires the credit code of an enterprise and the identity number of a vehicle owner', () => {
    const enterprise = {
      name: '汨罗市甲混凝土有限公司',
      licenceNo: '湘交运管许可岳字430681000001',
      fleetSize: 20,
      contactPhone: '0730-5222222',
    };
    expect(readJsonImport('enterprises', { rows: [enterprise] }).errors).toEqual([
      { path: 'rows.0.socialCreditCode', message: 'required' },
    ]);
    expect(
      readJsonImport('enterprises', {
        rows: [{ ...enterprise, socialCreditCode: '91430681ma4l00001n', registrationDivisionCode: '430681' }],
      }).rows[0]?.value,
    ).toMatchObject({ socialCreditCode: '91430681MA4L00001N', registrationDivisionCode: '430681' });
    const vehicle = {
      plate: '湘F12345',
      plateColour: 'yellow',
      ownerName: '张三',
      ownerPhone: '13800138000',
      enterpriseLicenceNo: '430100001234',
      transportCertificateNo: '430100123456',
    };
    expect(readJsonImport('vehicles', { rows: [vehicle] }).errors).toEqual([
      { path: 'rows.0.ownerIdNumber', message: 'required' },
    ]);
    expect(
      readJsonImport('vehicles', {
        rows: [
          {
            ...vehicle,
            ownerIdNumber: '430681198506123014',
            registrationDivisionCode: '430681',
            certificateFirstIssuedOn: '2020-05-10',
          },
        ],
      }).errors,
    ).toEqual([]);
    expect(
      readJsonImport('drivers', {
        rows: [
          {
            name: '李四',
            idNumber: '430681198506123014',
            qualificationCertificateNo: 'CY430681001',
            phone: '13900000001',
            registrationDivisionCode: '4306',
          },
        ],
      }).errors,
    ).toEqual([{ path: 'rows.0.registrationDivisionCode', message: expect.stringContaining('6-digit') }]);
  });
});

describe('a party entered by hand (owner, driver, source unit)', () => {
  const party = z
    .object({ kind: z.enum(['person', 'organisation']), idNumber: z.string() })
    .superRefine(partyIdNumberValid);
  const issues = (value: unknown) => party.safeParse(value).error?.issues.map((i) => i.path.join('.')) ?? [];

  it("takes a person's resident ID number and an organisation's credit code, lower-case check letters too", () => {
    expect(issues({ kind: 'person', idNumber: '11010519491231002x' })).toEqual([]);
    expect(issues({ kind: 'organisation', idNumber: '91430681MA4L00001N' })).toEqual([]);
  });

  it('refuses a wrong check character, and a number of the other kind of party, naming idNumber', () => {
    expect(issues({ kind: 'person', idNumber: '430681198506123016' })).toEqual(['idNumber']);
    expect(issues({ kind: 'person', idNumber: '91430681MA4L00001N' })).toEqual(['idNumber']);
    expect(issues({ kind: 'organisation', idNumber: '440524188001010014' })).toEqual(['idNumber']);
  });
});

describe('the authority that issued a driver’s qualification certificate (发证机关)', () => {
  const driver = {
    name: '李四',
    idNumber: '430681198506123014',
    qualificationCertificateNo: '430602198506123014',
    phone: '13800138000',
  };

  it('takes the name of an organ, brackets made full-width and spaces dropped', () => {
    for (const name of [
      '岳阳市交通运输局',
      '岳阳市道路运输服务中心',
      '平江县交通运输综合行政执法大队',
      '湖南省交通运输厅',
      '岳阳市交通运输局(道路运输服务中心)',
    ]) {
      expect(authorityNameSchema.safeParse(name).success).toBe(true);
    }
    expect(authorityNameSchema.parse(' 岳阳市 交通运输局(运管所) ')).toBe('岳阳市交通运输局（运管所）');
  });

  it('refuses what cannot be written on a report as its addressee: a code, a person, a fragment', () => {
    for (const name of [
      '430602',
      '张三',
      '岳阳市',
      '岳阳市交通运输局430602',
      'Yueyang Transport Bureau',
      '局',
    ]) {
      expect(authorityNameSchema.safeParse(name).success).toBe(false);
    }
    expect(authorityNameSchema.safeParse('岳'.repeat(99) + '局').success).toBe(true);
    expect(authorityNameSchema.safeParse('岳'.repeat(100) + '局').success).toBe(false);
  });

  it('is imported with the division it sits in: a name without its division code is refused on that column', () => {
    const row = { ...driver, homeAuthority: '岳阳市道路运输服务中心', registrationDivisionCode: '430602' };
    expect(driverRowSchema.parse(row).homeAuthority).toBe('岳阳市道路运输服务中心');
    const alone = driverRowSchema.safeParse({ ...driver, homeAuthority: '岳阳市道路运输服务中心' });
    expect(alone.success).toBe(false);
    expect(alone.error?.issues.map((i) => i.path.join('.'))).toEqual(['registrationDivisionCode']);
    expect(
      driverRowSchema
        .safeParse({ ...row, homeAuthority: '430602' })
        .error?.issues.map((i) => i.path.join('.')),
    ).toEqual(['homeAuthority']);
    expect(driverRowSchema.safeParse(driver).success).toBe(true); // still optional
  });
});
