import { CN_WORKING_CALENDAR_2024_2026 } from '@ecc/legal-domain';
import type { DomainError } from '@ecc/shared-kernel';
import {
  containsIdentityOrPhone,
  DEFAULT_PUBLICITY_POLICY,
  maskPlate,
  personalDataIn,
  planWithdrawal,
  publicationContent,
  publicityPolicySchema,
  publicityVerdict,
  redactParty,
  redactPersonName,
  type DecisionFacts,
  type PublicityPolicy,
} from './index';

const TZ = 'Asia/Shanghai';
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

describe('redaction of a person’s name', () => {
  it.each([
    ['张三', '张某'],
    ['王小明', '王某'],
    ['欧阳明华', '欧阳某'],
    ['司马光', '司马某'],
    ['诸葛亮', '诸葛某'],
    // A two-character name beginning like a compound surname is surname + given name.
    ['欧阳', '欧某'],
    ['  李 四 ', '李某'],
    ['买买提·艾力', '买某'],
    ['John Smith', 'J某'],
    ['', '某'],
  ])('%s → %s', (name, expected) => {
    expect(redactPersonName(name)).toBe(expected);
  });
});

describe('masking of a plate', () => {
  it.each([
    ['湘A12345', '湘A·1***5'],
    ['湘a·12345', '湘A·1***5'],
    ['湘F 0001Y', '湘F·0***Y'],
    ['湘AD12345', '湘A·D****5'],
    ['湘A1234挂', '湘A·1***挂'],
    ['12345', '*****'],
    ['A1', '***'],
  ])('%s → %s', (plate, expected) => {
    expect(maskPlate(plate)).toBe(expected);
  });

  it('keeps no more than two characters of the serial', () => {
    const masked = maskPlate('湘A98765');
    expect(masked).not.toContain('9876');
    expect(masked).not.toContain('8765');
  });
});

describe('redaction of a party', () => {
  it('a person keeps the surname only: no identity number, phone or address', () => {
    const party = redactParty({
      kind: 'person',
      name: '赵六',
      idNumber: '430102198506123011',
      phone: '13900139001',
      address: '湖南省汨罗市归义镇某路1号',
    });
    expect(party).toEqual({ kind: 'person', name: '赵某' });
  });

  it('an organisation keeps its name and unified social credit code, never its phone or address', () => {
    const party = redactParty({
      kind: 'organisation',
      name: ' 汨罗市顺达运输有限公司 ',
      idNumber: '91430681MA4L0Q1X2T',
      phone: '0730-5221234',
      address: '汨罗市工业园',
    });
    expect(party).toEqual({
      kind: 'organisation',
      name: '汨罗市顺达运输有限公司',
      creditCode: '91430681MA4L0Q1X2T',
    });
  });

  it('an organisation whose id is not a credit code (a person’s ID filed by mistake) publishes no code', () => {
    expect(redactParty({ kind: 'organisation', name: '某运输部', idNumber: '430102198506123011' })).toEqual({
      kind: 'organisation',
      name: '某运输部',
      creditCode: null,
    });
  });
});

describe('identity and phone numbers in free text', () => {
  it.each([
    ['身份证430102198506123011', true],
    ['身份证43010219850612301X', true],
    ['旧证430102850612301', true],
    ['电话 139 0013 9001', true],
    ['座机0730-5221234', true],
    ['护照E12345678', true],
    ['护照号码 EA1234567', true],
    ['回乡证H12345678', true],
    ['澳门通行证M1234567890', true],
    ['永久居留证USA123456789012', true],
    ['新版永久居留证911840198001011235', true],
    ['经汨罗市人民政府复议决定撤销（汨政复决字〔2024〕12号）', false],
    ['罚款 2000 元，超限 4200 千克', false],
  ])('%s → %s', (text, expected) => {
    expect(containsIdentityOrPhone(text)).toBe(expected);
  });
});

describe('the publicity policy', () => {
  const person = { partyKind: 'person' as const, penaltyKinds: ['fine'], fineYuan: 2000 };
  const criteria: PublicityPolicy = { ...DEFAULT_PUBLICITY_POLICY, publish: 'by_criteria' };

  it('defaults to every decision (国办发〔2018〕118号), with criteria recorded for by_criteria', () => {
    expect(publicityPolicySchema.parse({})).toEqual(DEFAULT_PUBLICITY_POLICY);
    expect(publicityVerdict(person, DEFAULT_PUBLICITY_POLICY)).toEqual({
      publish: true,
      rule: 'every_decision',
    });
  });

  it('by criteria: an organisation, a serious penalty or a fine at the amount marks a decision', () => {
    expect(publicityVerdict({ ...person, partyKind: 'organisation' }, criteria)).toEqual({
      publish: true,
      rule: 'organisation',
    });
    expect(
      publicityVerdict({ ...person, penaltyKinds: ['fine', 'certificate_revocation'] }, criteria),
    ).toEqual({ publish: true, rule: 'penalty_kind:certificate_revocation' });
    expect(publicityVerdict({ ...person, fineYuan: 10_000 }, criteria)).toEqual({
      publish: true,
      rule: 'fine_at_least:10000',
    });
    expect(publicityVerdict({ ...person, fineYuan: 9_999 }, criteria)).toEqual({
      publish: false,
      rule: 'by_criteria:none_met',
    });
    expect(publicityVerdict({ ...person, penaltyKinds: ['warning'], fineYuan: null }, criteria).publish).toBe(
      false,
    );
  });

  it('by criteria with every criterion off publishes nothing', () => {
    const none: PublicityPolicy = {
      publish: 'by_criteria',
      criteria: { organisations: false, minFineYuan: null, penaltyKinds: [] },
    };
    expect(publicityVerdict({ ...person, partyKind: 'organisation', fineYuan: 30_000 }, none).publish).toBe(
      false,
    );
  });

  it('refuses unknown keys and penalty kinds', () => {
    expect(publicityPolicySchema.safeParse({ publish: 'sometimes' }).success).toBe(false);
    expect(publicityPolicySchema.safeParse({ publishAll: true }).success).toBe(false);
    expect(
      publicityPolicySchema.safeParse({
        criteria: { organisations: true, minFineYuan: null, penaltyKinds: ['jail'] },
      }).success,
    ).toBe(false);
  });
});

describe('the published content', () => {
  const facts: DecisionFacts = {
    decisionNumber: '汨交罚〔2024〕第0007号',
    authority: '汨罗市交通运输局',
    decidedAt: new Date('2024-03-14T02:00:00Z'),
    caseType: 'vehicle',
    party: {
      kind: 'person',
      name: '欧阳明华',
      idNumber: '430681198001011234',
      phone: '13812345678',
      address: '湖南省汨罗市汨罗镇人民路8号',
    },
    plate: '湘F12345',
    violationAt: new Date('2024-03-01T17:30:00Z'),
    place: '汨罗S308检测点 S308 K12+300',
    grossMassKg: 56000,
    limitKg: 49000,
    provisions: [{ code: 'ORR-43-1-2', title: '超限运输车辆行驶公路管理规定', article: '第四十三条' }],
    penaltyKinds: ['fine'],
    fineYuan: 2000,
  };

  it('names the party by surname, masks the plate and counts dates in the bureau’s zone', () => {
    const content = publicationContent(facts, TZ);
    expect(content).toMatchObject({
      decisionNumber: '汨交罚〔2024〕第0007号',
      decidedOn: '2024-03-14',
      party: { kind: 'person', name: '欧阳某' },
      plate: '湘F·1***5',
      violation: { on: '2024-03-02', grossMassKg: 56000, limitKg: 49000 },
      penalty: { kinds: ['fine'], fineYuan: 2000 },
    });
    expect(personalDataIn(content, [facts.party!])).toEqual([]);
    const text = JSON.stringify(content);
    for (const secret of ['欧阳明华', '430681198001011234', '13812345678', '人民路', '12345'])
      expect(text).not.toContain(secret);
  });

  it('the last check finds a person’s data that reached the content', () => {
    const leaked = { ...publicationContent(facts, TZ), note: '当事人欧阳明华，电话13812345678' };
    expect(personalDataIn(leaked, [facts.party!])).toEqual(['欧阳明华', '13812345678']);
  });

  it('an organisation named after a person (a sole trader) is not a finding; the person elsewhere is', () => {
    const trader = { kind: 'organisation' as const, name: '汨罗市欧阳明华运输部', idNumber: null };
    const content = publicationContent({ ...facts, party: trader }, TZ);
    expect(content.party).toEqual({ kind: 'organisation', name: '汨罗市欧阳明华运输部', creditCode: null });
    expect(personalDataIn(content, [trader, facts.party!])).toEqual([]);
    expect(personalDataIn({ ...content, driver: '欧阳明华' }, [trader, facts.party!])).toEqual(['欧阳明华']);
  });

  it('a person entered as an organisation (a person’s ID number on it) is a finding: held, not published', () => {
    const misfiled = {
      kind: 'organisation' as const,
      name: '王五',
      idNumber: '430102198506123011',
      phone: null,
    };
    const content = publicationContent({ ...facts, party: misfiled }, TZ);
    expect(content.party).toEqual({ kind: 'organisation', name: '王五', creditCode: null });
    expect(personalDataIn(content, [misfiled])).toEqual(['王五']);
  });

  it('an ID number that also passes the credit code’s check (one in 31) is taken for a person’s', () => {
    // 430681199002025677 is a valid resident ID number and, by chance, a valid GB 32100 code too.
    const misfiled = { kind: 'organisation' as const, name: '王建军', idNumber: '430681199002025677' };
    expect(redactParty(misfiled)).toEqual({ kind: 'organisation', name: '王建军', creditCode: null });
    expect(personalDataIn(publicationContent({ ...facts, party: misfiled }, TZ), [misfiled])).toEqual([
      '王建军',
    ]);
  });
});

describe('withdrawal (行政处罚法 Art. 48 ¶2: within 3 working days)', () => {
  const cal = CN_WORKING_CALENDAR_2024_2026;
  const base = { ground: 'reconsideration' as const, reason: '复议决定撤销原处罚决定' };

  it('is due at the end of the third working day after the revocation; later is late', () => {
    // Revoked Thu 26 Sep 2024: Fri 27, Sun 29 (make-up working day), Mon 30 Sep → due Mon 30 Sep, 23:59:59.999.
    const revokedAt = new Date('2024-09-26T02:00:00Z');
    const onTime = planWithdrawal({ ...base, revokedAt }, new Date('2024-09-30T15:59:00Z'), TZ, cal);
    expect(onTime).toEqual({ dueAt: new Date('2024-09-30T15:59:59.999Z'), late: false });
    expect(planWithdrawal({ ...base, revokedAt }, new Date('2024-10-08T01:00:00Z'), TZ, cal).late).toBe(true);
  });

  it('refuses a revocation in the future and a public reason with an identity or phone number', () => {
    const now = new Date('2024-09-26T02:00:00Z');
    expect(
      code(() => planWithdrawal({ ...base, revokedAt: new Date('2024-09-27T00:00:00Z') }, now, TZ, cal)),
    ).toBe('revoked_in_future');
    expect(
      code(() =>
        planWithdrawal(
          { ...base, revokedAt: now, reason: '当事人赵六（13900139001）申请复议' },
          now,
          TZ,
          cal,
        ),
      ),
    ).toBe('public_text_has_personal_data');
    expect(
      code(() => planWithdrawal({ ...base, revokedAt: now, reference: '430102198506123011' }, now, TZ, cal)),
    ).toBe('public_text_has_personal_data');
  });
});
