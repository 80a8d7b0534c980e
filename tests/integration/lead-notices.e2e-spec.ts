import { createPrismaClient, dropDatabase, type PrismaClient } from '@ecc/shared-data';
import { createLeadNotices, NoticesRepository } from '@ecc/notices-data';
import { DEFAULT_NOTICES_POLICY, NOTICES_POLICY_KEY } from '@ecc/notices-domain';
import { leadRowData } from '../support/lead-row';
import { createTestDatabase } from '../support/test-app';

/** createLeadNotices in the caller's transaction, against a real database (the lead review calls it). */
describe('createLeadNotices', () => {
  let url: string;
  let db: PrismaClient;
  let stationId: string;
  let seq = 0;
  // the last instant of 2026-12-12 in Asia/Shanghai
  const respondBy = new Date('2026-12-12T15:59:59.999Z');

  async function lead(
    plate: string,
    status: 'confirmed' | 'pending_review' = 'confirmed',
    vehicleId?: string,
  ) {
    return db.lead.create({ data: leadRowData(stationId, { status, plate, vehicleId: vehicleId ?? null }) });
  }

  async function vehicle(
    plate: string,
    options: { phone?: string | null; enterprise?: boolean; homeAuthority?: string },
  ) {
    const n = ++seq;
    const owner =
      options.phone === undefined && !options.enterprise
        ? null
        : await db.party.create({ data: { kind: 'person', name: `车主${n}`, phone: options.phone ?? null } });
    const enterprise = options.enterprise
      ? await db.enterprise.create({
          data: {
            licenceNo: `湘交运管许可岳字${n}号`,
            fleetSize: 20,
            party: { create: { kind: 'organisation', name: `岳阳市通达运输有限公司${n}` } },
          },
        })
      : null;
    return db.vehicle.create({
      data: {
        plate,
        plateColour: 'yellow',
        ownerPartyId: owner?.id ?? null,
        enterpriseId: enterprise?.id ?? null,
        homeAuthority: options.homeAuthority ?? null,
      },
    });
  }

  const notify = (leadId: string, extra: Partial<Parameters<typeof createLeadNotices>[1]> = {}) =>
    db.$transaction((tx) => createLeadNotices(tx, { leadId, respondBy, ...extra }));

  beforeAll(async () => {
    url = await createTestDatabase('leadnotices');
    db = createPrismaClient(url, { poolSize: 2 });
    stationId = (
      await db.station.create({
        data: {
          code: 'S308-K12',
          name: '汨罗S308超限检测点',
          road: 'S308',
          stake: 'K12+300',
          direction: '往长沙方向',
        },
      })
    ).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  it('writes the owner SMS, the enterprise push and the home-jurisdiction push as pending notices', async () => {
    const v = await vehicle('湘F10001', { phone: '13800138000', enterprise: true });
    const l = await lead('湘F10001', 'confirmed', v.id);
    const { noticeIds } = await notify(l.id);
    expect(noticeIds).toHaveLength(3);
    const rows = await db.notice.findMany({ where: { leadId: l.id }, orderBy: { template: 'asc' } });
    expect(rows.map((r) => [r.channel, r.template, r.recipient, r.status])).toEqual([
      ['push', 'lead_push_enterprise', expect.stringContaining('岳阳市通达运输有限公司'), 'pending'],
      ['push', 'lead_push_jurisdiction', '湖南省岳阳市', 'pending'],
      ['sms', 'lead_sms', '13800138000', 'pending'],
    ]);
    expect(rows.every((r) => r.respondBy?.getTime() === respondBy.getTime())).toBe(true);
    const sms = rows[2]!.body;
    expect(sms).toContain('湘F10001');
    expect(sms).toContain('2026年11月27日22时05分');
    expect(sms).toContain('S308线K12+300（往长沙方向）');
    expect(sms).toContain('请于2026年12月12日前');
    expect(sms).toContain('本短信仅为告知');
    // the sweeper takes them once they are stale (an enqueue lost after the commit), not before
    const now = new Date();
    const notices = new NoticesRepository(db);
    expect(await notices.dueIds(10, { staleBefore: now, now })).toEqual(expect.arrayContaining(noticeIds));
    const justBefore = new Date(Math.min(...rows.map((r) => r.createdAt.getTime())) - 1);
    expect(await notices.dueIds(10, { staleBefore: justBefore, now })).not.toContain(noticeIds[0]);
  });

  it('returns the same notices when called again for the lead', async () => {
    const v = await vehicle('湘F10002', { phone: '13800138002' });
    const l = await lead('湘F10002', 'confirmed', v.id);
    const first = await notify(l.id);
    expect(first.noticeIds).toHaveLength(2); // no enterprise: SMS + jurisdiction
    expect(await notify(l.id)).toEqual(first);
    expect(await db.notice.count({ where: { leadId: l.id } })).toBe(2);
  });

  it('finds the vehicle by plate when screening had no registry entry, and uses its home authority', async () => {
    await vehicle('粤B20003', { phone: '13800138003', homeAuthority: '深圳市交通运输局' });
    const l = await lead('粤B20003');
    await notify(l.id, { officeAddress: '汨罗市交通运输局二楼' });
    const rows = await db.notice.findMany({ where: { leadId: l.id }, orderBy: { template: 'asc' } });
    expect(rows.map((r) => r.template)).toEqual(['lead_push_jurisdiction', 'lead_sms']);
    expect(rows[1]!.body).toContain('汨罗市交通运输局二楼');
    expect(rows[0]!.recipient).toBe('深圳市交通运输局');
  });

  it('follows the notices policy in force', async () => {
    await db.policy.create({
      data: {
        key: NOTICES_POLICY_KEY,
        value: {
          ...DEFAULT_NOTICES_POLICY,
          templates: {
            ...DEFAULT_NOTICES_POLICY.templates,
            // Any wording, but the figures the party checks (gross − tolerance − limit = excess) are required.
            leadSms:
              '{plate}总质量{grossMass}，扣除误差{tolerance}，超过{limit}达{excess}，请于{respondBy}前到{officeAddress}。',
          },
        },
        validFrom: new Date('2026-01-01T00:00:00Z'),
      },
    });
    try {
      const v = await vehicle('湘A30004', { phone: '13800138004' });
      const l = await lead('湘A30004', 'confirmed', v.id);
      await notify(l.id, { at: new Date('2026-11-28T00:00:00Z') });
      const sms = await db.notice.findFirstOrThrow({ where: { leadId: l.id, channel: 'sms' } });
      expect(sms.body).toMatch(/^湘A30004总质量[\d,]+千克，扣除误差[\d,]+千克，超过[\d,]+千克达[\d,]+千克，/);
      expect(sms.body).toContain(`请于2026年12月12日前到${DEFAULT_NOTICES_POLICY.officeAddress}。`);
    } finally {
      await db.policy.deleteMany({ where: { key: NOTICES_POLICY_KEY } });
    }
  });

  it('refuses an owner unknown or without a phone (owner_unknown), writing nothing', async () => {
    const unregistered = await lead('湘F40005');
    await expect(notify(unregistered.id)).rejects.toMatchObject({
      category: 'rule_violation',
      code: 'owner_unknown',
    });
    const v = await vehicle('湘F40006', { phone: null });
    const noPhone = await lead('湘F40006', 'confirmed', v.id);
    await expect(notify(noPhone.id)).rejects.toMatchObject({ code: 'owner_unknown' });
    expect(await db.notice.count({ where: { leadId: { in: [unregistered.id, noPhone.id] } } })).toBe(0);
  });

  it('refuses an unreviewed lead (行政处罚法 Art. 41) and an unknown one', async () => {
    const v = await vehicle('湘F50007', { phone: '13800138007' });
    const l = await lead('湘F50007', 'pending_review', v.id);
    await expect(notify(l.id)).rejects.toMatchObject({ code: 'lead_not_confirmed' });
    await expect(notify('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      category: 'not_found',
      code: 'lead_not_found',
    });
  });
});
