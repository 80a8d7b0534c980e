import { DomainError } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';
import {
  jurisdictionOfPlate,
  NOTICE_TEMPLATE_NAMES,
  NOTICES_POLICY_KEY,
  parseNoticesPolicy,
  renderLeadPush,
  renderLeadSms,
  noticesDefaults,
  type ConfiguredNoticeDefaults,
  type LeadNoticeFacts,
} from '@ecc/notices-domain';

export interface CreateLeadNoticesInput {
  leadId: string;
  /** the response window's end the notice states (the window, started at the SMS's delivery, never ends earlier) */
  respondBy: Date;
  /** where to come; the notices policy's `officeAddress` when absent */
  officeAddress?: string;
  /** the bureau's time zone (BUREAU_TIMEZONE); Asia/Shanghai when absent */
  timeZone?: string;
  /** the instant whose notices policy applies; now when absent */
  at?: Date;
  /** the installation's defaults of the notices policy (config `notices.defaults`, NOTICE_*) */
  defaults?: ConfiguredNoticeDefaults;
}

const LEAD_TEMPLATES = Object.values(NOTICE_TEMPLATE_NAMES);

/** A notice of a lead as rendered, before it is stored. */
export interface LeadNoticeDraft {
  channel: 'sms' | 'push';
  template: string;
  recipient: string;
  recipientPartyId: string | null;
  body: string;
}

type LeadRow = NonNullable<Awaited<ReturnType<typeof findLead>>>;

const findLead = (tx: Tx, id: string) =>
  tx.lead.findUnique({
    where: { id },
    include: { station: { select: { name: true, road: true, stake: true, direction: true } } },
  });

/**
 * Inserts the `pending` notices of a confirmed lead in the caller's transaction (the SMS notice and information push after review): one
 * SMS to the registered owner/operator (短信告知), one push to the enterprise when the vehicle has one and
 * one push to the vehicle's home jurisdiction (信息推送). The worker sends them after the commit.
 *
 * A second call for the same lead returns the notices already created (a retried review sends nothing twice).
 * Owner unknown or without a phone → `owner_unknown` (rule_violation): the caller lists the lead as
 * 车主信息不明 instead.
 */
export async function createLeadNotices(
  tx: Tx,
  input: CreateLeadNoticesInput,
): Promise<{ noticeIds: string[] }> {
  const lead = await findLead(tx, input.leadId);
  if (!lead) throw new DomainError('not_found', 'lead_not_found', `lead ${input.leadId} does not exist`);
  if (lead.status !== 'confirmed' && lead.status !== 'notified') {
    throw new DomainError(
      'rule_violation',
      'lead_not_confirmed',
      `lead ${lead.id} is ${lead.status}: only a confirmed lead is notified (行政处罚法 Art. 41: an unreviewed record is not evidence)`,
    );
  }
  const existing = await tx.notice.findMany({
    where: { leadId: lead.id, template: { in: LEAD_TEMPLATES } },
    select: { id: true, template: true },
  });
  if (existing.length > 0) {
    // In the order of creation: SMS, enterprise push, jurisdiction push (one transaction, one timestamp).
    existing.sort((a, b) => LEAD_TEMPLATES.indexOf(a.template) - LEAD_TEMPLATES.indexOf(b.template));
    return { noticeIds: existing.map((n) => n.id) };
  }
  const noticeIds: string[] = [];
  for (const row of await leadNoticeDrafts(tx, lead, input)) {
    const notice = await tx.notice.create({
      data: { ...row, leadId: lead.id, status: 'pending', respondBy: input.respondBy },
      select: { id: true },
    });
    noticeIds.push(notice.id);
  }
  return { noticeIds };
}

/**
 * One notice of a lead rendered again from what the registry holds now (a corrected phone number, a new
 * response window's end): what an officer's resend of a failed notice sends. `notice_recipient_gone` when
 * the registry no longer has its recipient (an enterprise no longer linked to the vehicle).
 */
export async function redraftLeadNotice(
  tx: Tx,
  input: CreateLeadNoticesInput & { template: string },
): Promise<LeadNoticeDraft> {
  const lead = await findLead(tx, input.leadId);
  if (!lead) throw new DomainError('not_found', 'lead_not_found', `lead ${input.leadId} does not exist`);
  const draft = (await leadNoticeDrafts(tx, lead, input)).find((d) => d.template === input.template);
  if (!draft) {
    throw new DomainError(
      'rule_violation',
      'notice_recipient_gone',
      `the registry no longer names a recipient of ${input.template} for lead ${lead.id}`,
    );
  }
  return draft;
}

/** Whether a notice template is one of a lead's (its owner's SMS and the two pushes). */
export const isLeadNoticeTemplate = (template: string): boolean => LEAD_TEMPLATES.includes(template);

async function leadNoticeDrafts(
  tx: Tx,
  lead: LeadRow,
  input: CreateLeadNoticesInput,
): Promise<LeadNoticeDraft[]> {
  // The vehicle found at screening, else the registry entry added since (plate + colour when known).
  const vehicle = await tx.vehicle.findFirst({
    where: lead.vehicleId
      ? { id: lead.vehicleId }
      : { plate: lead.plate, ...(lead.plateColour ? { plateColour: lead.plateColour } : {}) },
    include: { owner: true, enterprise: { include: { party: true } } },
  });
  const owner = vehicle?.owner ?? null;
  if (!vehicle || !owner || !owner.phone) {
    throw new DomainError(
      'rule_violation',
      'owner_unknown',
      `the registered owner of ${lead.plate} is unknown or has no phone number: the lead waits for an officer to complete it`,
      { leadId: lead.id, plate: lead.plate, vehicleId: vehicle?.id ?? null, ownerPartyId: owner?.id ?? null },
    );
  }

  const policyRow = await tx.policy.findFirst({
    where: {
      key: NOTICES_POLICY_KEY,
      validFrom: { lte: input.at ?? new Date() },
      OR: [{ validTo: null }, { validTo: { gt: input.at ?? new Date() } }],
    },
    orderBy: { validFrom: 'desc' },
    select: { value: true },
  });
  const stored = parseNoticesPolicy(policyRow?.value ?? null, noticesDefaults(input.defaults));
  const policy = input.officeAddress ? { ...stored, officeAddress: input.officeAddress } : stored;
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const facts: LeadNoticeFacts = {
    plate: lead.plate,
    violationAt: lead.violationAt,
    station: lead.station,
    grossMassKg: lead.grossMassKg,
    limitKg: lead.limitKg,
    excessKg: lead.excessKg,
    toleranceKg: lead.toleranceKg,
    respondBy: input.respondBy,
  };

  const rows: LeadNoticeDraft[] = [
    {
      channel: 'sms',
      template: NOTICE_TEMPLATE_NAMES.leadSms,
      recipient: owner.phone,
      recipientPartyId: owner.id,
      body: renderLeadSms(facts, policy, timeZone, owner.name),
    },
  ];
  const enterprise = vehicle.enterprise;
  if (enterprise) {
    rows.push({
      channel: 'push',
      template: NOTICE_TEMPLATE_NAMES.leadPushEnterprise,
      recipient: enterprise.party.name,
      recipientPartyId: enterprise.partyId,
      body: renderLeadPush('enterprise', facts, policy, timeZone, enterprise.party.name),
    });
  }
  // The registered home authority when the registry has one, else the plate's issuing city.
  const jurisdiction = vehicle.homeAuthority ?? jurisdictionOfPlate(lead.plate)?.name ?? null;
  if (jurisdiction) {
    rows.push({
      channel: 'push',
      template: NOTICE_TEMPLATE_NAMES.leadPushJurisdiction,
      recipient: jurisdiction,
      recipientPartyId: null,
      body: renderLeadPush('jurisdiction', facts, policy, timeZone, jurisdiction),
    });
  }
  return rows;
}
