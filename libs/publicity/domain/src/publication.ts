import { z } from 'zod';
import { DomainError, localDate, type IsoDate } from '@ecc/shared-kernel';
import { deadlineAfterWorkingDays, type WorkingDayCalendar } from '@ecc/legal-domain';
import {
  containsIdentityOrPhone,
  maskPlate,
  redactParty,
  type PartyRecord,
  type PublishedParty,
} from './redaction';

/** What the decision and its case say, as read from the records: raw, before redaction. */
export interface DecisionFacts {
  decisionNumber: string;
  authority: string;
  decidedAt: Date;
  caseType: string;
  party: PartyRecord | null;
  plate: string | null;
  violationAt: Date;
  /** The station's name, road and stake: a public place, no person's address. */
  place: string | null;
  grossMassKg: number | null;
  limitKg: number | null;
  provisions: { code: string; title: string | null; article: string }[];
  penaltyKinds: string[];
  fineYuan: number | null;
}

/**
 * The published content of a decision (行政处罚法 Art. 48), built only from structured fields: the case's free
 * text (facts, investigation summaries, statements) is never published, since no rule can find every name or
 * address in it.
 */
export interface PublicationContent {
  decisionNumber: string;
  authority: string;
  decidedOn: IsoDate;
  caseType: string;
  party: PublishedParty | null;
  plate: string | null;
  violation: {
    on: IsoDate;
    place: string | null;
    grossMassKg: number | null;
    limitKg: number | null;
  };
  provisions: { code: string; title: string | null; article: string }[];
  penalty: { kinds: string[]; fineYuan: number | null };
}

export function publicationContent(facts: DecisionFacts, timeZone: string): PublicationContent {
  return {
    decisionNumber: facts.decisionNumber,
    authority: facts.authority,
    decidedOn: localDate(facts.decidedAt, timeZone),
    caseType: facts.caseType,
    party: facts.party ? redactParty(facts.party) : null,
    plate: facts.plate ? maskPlate(facts.plate) : null,
    violation: {
      on: localDate(facts.violationAt, timeZone),
      place: facts.place,
      grossMassKg: facts.grossMassKg,
      limitKg: facts.limitKg,
    },
    provisions: facts.provisions.map(({ code, title, article }) => ({ code, title, article })),
    penalty: { kinds: [...facts.penaltyKinds], fineYuan: facts.fineYuan },
  };
}

/**
 * Why a published decision is withdrawn (行政处罚法 Art. 48 ¶2: changed, revoked, confirmed illegal or
 * void): by a reconsideration decision (行政复议), by a court's judgment, or by the bureau itself.
 */
export const WITHDRAWAL_GROUNDS = ['reconsideration', 'court', 'self_correction'] as const;
export type WithdrawalGround = (typeof WITHDRAWAL_GROUNDS)[number];

/** Art. 48 ¶2: withdraw within 3 days — working days (Art. 85) — of the decision's revocation. */
export const WITHDRAWAL_WORKING_DAYS = 3;

export const withdrawPublicationSchema = z.strictObject({
  ground: z
    .enum(WITHDRAWAL_GROUNDS)
    .describe('reconsideration (复议), court (诉讼) or self_correction (自行纠正)'),
  revokedAt: z.coerce
    .date()
    .describe('When the decision was changed, revoked, confirmed illegal or void (the ruling’s date)'),
  reference: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('The number of the reconsideration decision or judgment (public)'),
  reason: z
    .string()
    .trim()
    .min(4)
    .max(500)
    .describe('The reason, published with the withdrawal (Art. 48 ¶2): no names, identity or phone numbers'),
});
export type WithdrawPublication = z.infer<typeof withdrawPublicationSchema>;

export interface WithdrawalPlan {
  dueAt: Date;
  late: boolean;
}

/**
 * Checks a withdrawal and its timing: the revocation cannot lie in the future; the public reason and reference
 * must not carry an identity or phone number; late when `now` is past the 3 working days.
 */
export function planWithdrawal(
  input: WithdrawPublication,
  now: Date,
  timeZone: string,
  calendar: WorkingDayCalendar,
): WithdrawalPlan {
  if (input.revokedAt.getTime() > now.getTime())
    throw new DomainError('validation', 'revoked_in_future', 'revokedAt lies in the future', {
      errors: [{ path: 'body.revokedAt', message: 'must not be in the future' }],
    });
  for (const field of ['reason', 'reference'] as const) {
    const text = input[field];
    if (text && containsIdentityOrPhone(text))
      throw new DomainError(
        'validation',
        'public_text_has_personal_data',
        `${field} is published and must not contain an identity or phone number`,
        { errors: [{ path: `body.${field}`, message: 'contains an identity or phone number' }] },
      );
  }
  const dueAt = deadlineAfterWorkingDays(input.revokedAt, WITHDRAWAL_WORKING_DAYS, timeZone, calendar);
  return { dueAt, late: now.getTime() > dueAt.getTime() };
}
