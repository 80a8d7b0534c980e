import { systemActor } from '@ecc/identity-domain';
import { transitionLead, type LeadTransitionInput } from '@ecc/leads-data';
import { createPrismaClient, dropDatabase, type LeadStatus, type PrismaClient } from '@ecc/shared-data';
import { leadRowData } from '../support/lead-row';
import { createTestDatabase } from '../support/test-app';

/** transitionLead, the one writer of a lead's status, in a real database. */
describe('transitionLead', () => {
  let url: string;
  let db: PrismaClient;
  let stationId: string;
  const actor = systemActor('lead-transitions-test');
  const at = new Date('2026-12-01T02:00:00Z');

  const lead = async (status: LeadStatus) => db.lead.create({ data: leadRowData(stationId, { status }) });
  const apply = (input: Omit<LeadTransitionInput, 'actor' | 'at'>) =>
    db.$transaction((tx) => transitionLead(tx, { actor, at, ...input }));
  const events = async (leadId: string) =>
    (
      await db.auditEvent.findMany({
        where: { entityType: 'lead', entityId: leadId },
        orderBy: { id: 'asc' },
      })
    ).map((e) => ({ action: e.action, payload: e.payload }));

  beforeAll(async () => {
    url = await createTestDatabase('leadtransitions');
    db = createPrismaClient(url, { poolSize: 2 });
    stationId = (await db.station.create({ data: { code: 'S308-K12', name: '汨罗S308超限检测点' } })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  it('writes the status, the columns given, a new version and the audit event in one transaction', async () => {
    const l = await lead('pending_review');
    const result = await apply({
      leadId: l.id,
      transition: 'confirm',
      set: { reviewNote: '号牌、轴数与图像一致', reviewedAt: at },
      changes: { reason: '号牌、轴数与图像一致' },
      effects: async (tx) => {
        await tx.lead.update({ where: { id: l.id }, data: { ownerUnknown: true } });
        return { ownerUnknown: true };
      },
    });
    expect(result).toEqual({
      leadId: l.id,
      from: 'pending_review',
      to: 'confirmed',
      version: 1,
      responseWindow: null,
    });
    const row = await db.lead.findUniqueOrThrow({ where: { id: l.id } });
    expect(row).toMatchObject({
      status: 'confirmed',
      version: 1,
      reviewNote: '号牌、轴数与图像一致',
      ownerUnknown: true,
    });
    expect(await events(l.id)).toEqual([
      {
        action: 'lead.confirmed',
        payload: {
          transition: 'confirm',
          from: 'pending_review',
          to: 'confirmed',
          basis: 'APL-41',
          reason: '号牌、轴数与图像一致',
          ownerUnknown: true,
        },
      },
    ]);
  });

  it('refuses a transition its status does not allow with the lifecycle code, writing nothing', async () => {
    const l = await lead('confirmed');
    await expect(apply({ leadId: l.id, transition: 'fence' })).rejects.toMatchObject({
      category: 'conflict',
      code: 'lead_not_fenceable',
    });
    await expect(apply({ leadId: l.id, transition: 'confirm' })).rejects.toMatchObject({
      code: 'lead_already_reviewed',
    });
    const rejected = await lead('rejected');
    await expect(apply({ leadId: rejected.id, transition: 'file' })).rejects.toMatchObject({
      category: 'rule_violation',
      code: 'lead_rejected',
    });
    expect(await db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({
      status: 'confirmed',
      version: 0,
    });
    expect(await events(l.id)).toEqual([]);
    await expect(
      apply({ leadId: '00000000-0000-4000-8000-000000000000', transition: 'file' }),
    ).rejects.toMatchObject({ code: 'lead_not_found' });
  });

  it('refuses a stale version (lead_modified) and rolls back the effects of a failed transition', async () => {
    const l = await lead('pending_review');
    await expect(apply({ leadId: l.id, transition: 'reject', expectedVersion: 3 })).rejects.toMatchObject({
      code: 'lead_modified',
    });
    await expect(
      apply({
        leadId: l.id,
        transition: 'reject',
        set: { rejectReason: '图像不清' },
        effects: async () => {
          throw new Error('the effect failed');
        },
      }),
    ).rejects.toThrow('the effect failed');
    expect(await db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({
      status: 'pending_review',
      rejectReason: null,
      version: 0,
    });
    expect(await events(l.id)).toEqual([]);
  });

  it('leaves a lead that moved on alone when the transition follows an event (onlyIfAllowed)', async () => {
    const l = await lead('filed');
    expect(await apply({ leadId: l.id, transition: 'deliver_notice', onlyIfAllowed: true })).toBeNull();
    expect(await events(l.id)).toEqual([]);
  });

  it('starts the response window with the transitions that start it, once, and not for a party who came forward', async () => {
    const dueAt = new Date('2026-12-16T15:59:59.999Z');
    const l = await lead('confirmed');
    const delivered = await apply({ leadId: l.id, transition: 'deliver_notice', responseWindowDueAt: dueAt });
    expect(delivered?.responseWindow).toEqual({ id: expect.any(String), dueAt });
    const windows = await db.deadline.findMany({ where: { leadId: l.id } });
    expect(windows).toEqual([
      expect.objectContaining({
        kind: 'response_window',
        status: 'open',
        startedAt: at,
        dueAt,
        approachingAt: null,
      }),
    ]);
    expect((await events(l.id))[0]).toEqual({
      action: 'lead.notified',
      payload: expect.objectContaining({
        responseWindow: { id: windows[0]!.id, startedAt: at.toISOString(), dueAt: dueAt.toISOString() },
      }),
    });
    // a transition that starts it needs its end
    const other = await lead('confirmed');
    await expect(apply({ leadId: other.id, transition: 'deliver_notice' })).rejects.toThrow('give its end');

    // the party came forward before the notice reached them: no window to run
    const responded = await lead('notice_failed');
    const officer = await db.user.create({
      data: { username: `officer-${responded.id.slice(0, 8)}`, passwordHash: 'x', displayName: '办案人员' },
    });
    await db.leadResponse.create({
      data: { leadId: responded.id, respondedAt: at, channel: 'phone', recordedById: officer.id },
    });
    const proceeded = await apply({
      leadId: responded.id,
      transition: 'proceed_without_notice',
      responseWindowDueAt: dueAt,
    });
    expect(proceeded).toMatchObject({ to: 'notified', responseWindow: null });
    expect(await db.deadline.count({ where: { leadId: responded.id } })).toBe(0);
  });
});
