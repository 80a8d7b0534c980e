import { DomainError, localDate, zoneOffsetMinutes } from '@ecc/shared-kernel';
import { type NoticesPolicy } from './notice-policy';
import { renderTemplate, smsLength } from './template';

/** The facts of a confirmed lead that a notice states (SMS notice and information push). */
export interface LeadNoticeFacts {
  plate: string;
  violationAt: Date;
  station: { name: string; road: string | null; stake: string | null; direction: string | null };
  grossMassKg: number;
  limitKg: number;
  excessKg: number;
  toleranceKg: number;
  /** the last instant to come (the response window's end) */
  respondBy: Date;
}

export type LeadNoticeTemplate = keyof NoticesPolicy['templates'];

/** Template names as stored on the notice row. */
export const NOTICE_TEMPLATE_NAMES: Readonly<Record<LeadNoticeTemplate, string>> = {
  leadSms: 'lead_sms',
  leadPushEnterprise: 'lead_push_enterprise',
  leadPushJurisdiction: 'lead_push_jurisdiction',
};

const kg = (value: number) => `${value.toLocaleString('en-US')}千克`;

/** `2026年11月28日14时05分` in the bureau's time zone. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const [y, m, d] = localDate(instant, timeZone).split('-');
  const local = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${y}年${Number(m)}月${Number(d)}日${hh}时${mm}分`;
}

/** `2026年12月13日` — the local day of the deadline instant (a deadline ends with its day). */
export function formatLocalDate(instant: Date, timeZone: string): string {
  const [y, m, d] = localDate(instant, timeZone).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Station road + stake + direction, e.g. `S308线K12+300（往长沙方向）`, falling back to the station name. */
export function formatPlace(station: LeadNoticeFacts['station']): string {
  const road = [station.road ? `${station.road}线` : '', station.stake ?? ''].join('');
  const where = road || station.name;
  return station.direction ? `${where}（${station.direction}）` : where;
}

/**
 * The figures a notice states must add up for the party: gross − tolerance − limit = excess. Facts that do not
 * are refused (a notice contradicting itself cannot be sent).
 */
export function assertFiguresAddUp(facts: LeadNoticeFacts): void {
  const { grossMassKg, toleranceKg, limitKg, excessKg } = facts;
  if (grossMassKg - toleranceKg - limitKg !== excessKg) {
    throw new DomainError(
      'rule_violation',
      'notice_figures_inconsistent',
      `gross ${grossMassKg} − tolerance ${toleranceKg} − limit ${limitKg} is not the excess ${excessKg}`,
      { grossMassKg, toleranceKg, limitKg, excessKg },
    );
  }
}

export function leadNoticeValues(
  facts: LeadNoticeFacts,
  policy: NoticesPolicy,
  timeZone: string,
  recipient: string,
): Record<string, string> {
  assertFiguresAddUp(facts);
  return {
    plate: facts.plate,
    time: formatLocalDateTime(facts.violationAt, timeZone),
    place: formatPlace(facts.station),
    grossMass: kg(facts.grossMassKg),
    limit: kg(facts.limitKg),
    excess: kg(facts.excessKg),
    tolerance: kg(facts.toleranceKg),
    respondBy: formatLocalDate(facts.respondBy, timeZone),
    officeAddress: policy.officeAddress,
    officeHours: policy.officeHours,
    evidenceUrl: policy.evidenceUrl,
    contactPhone: policy.contactPhone,
    authority: policy.authority,
    recipient,
  };
}

/** The SMS notice text; longer than the policy's maximum → refused (never truncated: every fact is needed). */
export function renderLeadSms(
  facts: LeadNoticeFacts,
  policy: NoticesPolicy,
  timeZone: string,
  recipient = '',
): string {
  const text = renderTemplate(policy.templates.leadSms, leadNoticeValues(facts, policy, timeZone, recipient));
  const length = smsLength(text);
  if (length > policy.smsMaxLength) {
    throw new DomainError(
      'rule_violation',
      'sms_too_long',
      `the SMS notice has ${length} characters, more than the ${policy.smsMaxLength} allowed`,
      { length, max: policy.smsMaxLength },
    );
  }
  return text;
}

/** The text of an information push (信息推送); webhooks carry no SMS length limit. */
export function renderLeadPush(
  kind: 'enterprise' | 'jurisdiction',
  facts: LeadNoticeFacts,
  policy: NoticesPolicy,
  timeZone: string,
  recipient: string,
): string {
  const template =
    kind === 'enterprise' ? policy.templates.leadPushEnterprise : policy.templates.leadPushJurisdiction;
  return renderTemplate(template, leadNoticeValues(facts, policy, timeZone, recipient));
}
