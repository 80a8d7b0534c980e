import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@ecc/shared-kernel';
import {
  canLeadTransition,
  LEAD_AWAITING_RESPONSE,
  LEAD_STATUSES,
  LEAD_TRANSITION_NAMES,
  LEAD_TRANSITIONS,
  leadTransition,
  leadTransitionRefusal,
  leadTransitionsFrom,
  type LeadStatus,
  type LeadTransitionName,
} from './lead-lifecycle';

// The whole table, status by status: the new status, or the code of the refusal.
const EXPECTED: Record<LeadTransitionName, Record<LeadStatus, string>> = {
  confirm: {
    pending_review: '→ confirmed',
    confirmed: 'lead_already_reviewed',
    rejected: 'lead_already_reviewed',
    notified: 'lead_already_reviewed',
    notice_failed: 'lead_already_reviewed',
    fenced: 'lead_already_reviewed',
    filed: 'lead_already_reviewed',
  },
  reject: {
    pending_review: '→ rejected',
    confirmed: 'lead_already_reviewed',
    rejected: 'lead_already_reviewed',
    notified: 'lead_already_reviewed',
    notice_failed: 'lead_already_reviewed',
    fenced: 'lead_already_reviewed',
    filed: 'lead_already_reviewed',
  },
  deliver_notice: {
    pending_review: 'lead_not_awaiting_notice',
    confirmed: '→ notified',
    rejected: 'lead_not_awaiting_notice',
    notified: 'lead_not_awaiting_notice',
    notice_failed: 'lead_not_awaiting_notice',
    fenced: 'lead_not_awaiting_notice',
    filed: 'lead_not_awaiting_notice',
  },
  fail_notice: {
    pending_review: 'lead_not_awaiting_notice',
    confirmed: '→ notice_failed',
    rejected: 'lead_not_awaiting_notice',
    notified: 'lead_not_awaiting_notice',
    notice_failed: 'lead_not_awaiting_notice',
    fenced: 'lead_not_awaiting_notice',
    filed: 'lead_not_awaiting_notice',
  },
  resend_notice: {
    pending_review: 'lead_not_awaiting_notice_decision',
    confirmed: 'lead_not_awaiting_notice_decision',
    rejected: 'lead_not_awaiting_notice_decision',
    notified: 'lead_not_awaiting_notice_decision',
    notice_failed: '→ confirmed',
    fenced: 'lead_not_awaiting_notice_decision',
    filed: 'lead_not_awaiting_notice_decision',
  },
  proceed_without_notice: {
    pending_review: 'lead_not_awaiting_notice_decision',
    confirmed: 'lead_not_awaiting_notice_decision',
    rejected: 'lead_not_awaiting_notice_decision',
    notified: 'lead_not_awaiting_notice_decision',
    notice_failed: '→ notified',
    fenced: 'lead_not_awaiting_notice_decision',
    filed: 'lead_not_awaiting_notice_decision',
  },
  fence: {
    pending_review: 'lead_not_fenceable',
    confirmed: 'lead_not_fenceable',
    rejected: 'lead_not_fenceable',
    notified: '→ fenced',
    notice_failed: 'lead_not_fenceable',
    fenced: 'lead_not_fenceable',
    filed: 'lead_not_fenceable',
  },
  lift_fence: {
    pending_review: 'lead_not_fenced',
    confirmed: 'lead_not_fenced',
    rejected: 'lead_not_fenced',
    notified: 'lead_not_fenced',
    notice_failed: 'lead_not_fenced',
    fenced: '→ notified',
    filed: 'lead_not_fenced',
  },
  file: {
    pending_review: 'lead_not_reviewed',
    confirmed: '→ filed',
    rejected: 'lead_rejected',
    notified: '→ filed',
    notice_failed: '→ filed',
    fenced: '→ filed',
    filed: 'lead_already_filed',
  },
};

const outcome = (status: LeadStatus, name: LeadTransitionName): string => {
  try {
    return `→ ${leadTransition(status, name).to}`;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('the lead lifecycle', () => {
  it('allows and refuses exactly as the table says', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...LEAD_TRANSITION_NAMES].sort());
    for (const name of LEAD_TRANSITION_NAMES) {
      const actual = Object.fromEntries(LEAD_STATUSES.map((s) => [s, outcome(s, name)]));
      expect({ [name]: actual }).toEqual({ [name]: EXPECTED[name] });
    }
  });

  it('refuses with the category the problem needs: an unreviewed or rejected lead is a rule, a repeat a conflict', () => {
    const category = (s: LeadStatus, n: LeadTransitionName) => leadTransitionRefusal(s, n)?.category;
    expect(category('pending_review', 'file')).toBe('rule_violation');
    expect(category('rejected', 'file')).toBe('rule_violation');
    expect(category('filed', 'file')).toBe('conflict');
    expect(category('confirmed', 'confirm')).toBe('conflict');
    expect(category('confirmed', 'fence')).toBe('conflict');
    const refused = leadTransitionRefusal('confirmed', 'proceed_without_notice', 'lead-1');
    expect(refused?.details).toEqual({
      leadId: 'lead-1',
      leadStatus: 'confirmed',
      transition: 'proceed_without_notice',
    });
    expect(refused?.message).toContain('confirmed');
  });

  it('ends in rejected and filed: nothing leaves them', () => {
    expect(leadTransitionsFrom('rejected')).toEqual([]);
    expect(leadTransitionsFrom('filed')).toEqual([]);
  });

  it('reaches every status from pending_review', () => {
    const seen = new Set<LeadStatus>(['pending_review']);
    for (let grew = true; grew;) {
      grew = false;
      for (const status of [...seen])
        for (const name of leadTransitionsFrom(status)) {
          const to = LEAD_TRANSITIONS[name].to;
          if (!seen.has(to)) grew = seen.add(to).size > 0;
        }
    }
    expect([...seen].sort()).toEqual([...LEAD_STATUSES].sort());
  });

  it('fences no vehicle before its owner could have known: every way into `fenced` passes a start of the response window', () => {
    // From confirmation, the statuses reachable without starting the response window never include `fenced`.
    const reachable = new Set<LeadStatus>(['confirmed']);
    for (let grew = true; grew;) {
      grew = false;
      for (const status of [...reachable])
        for (const name of leadTransitionsFrom(status)) {
          const rule = LEAD_TRANSITIONS[name];
          if (rule.startsResponseWindow || reachable.has(rule.to)) continue;
          reachable.add(rule.to);
          grew = true;
        }
    }
    expect(reachable.has('fenced')).toBe(false);
    expect(reachable.has('notified')).toBe(false);
    // and the transitions that start it are the delivery and an officer's decision after a failure
    expect(LEAD_TRANSITION_NAMES.filter((n) => LEAD_TRANSITIONS[n].startsResponseWindow).sort()).toEqual([
      'deliver_notice',
      'proceed_without_notice',
    ]);
  });

  it('records a response from review until filing', () => {
    expect(LEAD_STATUSES.filter((s) => LEAD_AWAITING_RESPONSE.includes(s))).toEqual(
      LEAD_STATUSES.filter((s) => canLeadTransition(s, 'file')),
    );
  });

  it('names a provision or a policy for every transition that needs one, and one audit event each', () => {
    const events = LEAD_TRANSITION_NAMES.map((n) => LEAD_TRANSITIONS[n].event);
    expect(new Set(events).size).toBe(events.length);
    for (const name of LEAD_TRANSITION_NAMES) expect(LEAD_TRANSITIONS[name].event).toMatch(/^lead\.[a-z_]+$/);
    for (const name of ['confirm', 'reject', 'deliver_notice', 'fail_notice'] as const)
      expect(LEAD_TRANSITIONS[name].basis).toBe('APL-41');
    for (const name of ['deliver_notice', 'proceed_without_notice', 'fence'] as const)
      expect(LEAD_TRANSITIONS[name].policy).toBe('case.responseWindowDays');
  });

  it('is documented in docs/leads-and-notices.md: every transition and every status', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/leads-and-notices.md'), 'utf8');
    const row = (...cells: string[]) =>
      new RegExp(
        `^\\| ${cells.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+\\| ')}\\s+\\|`,
        'm',
      );
    for (const name of LEAD_TRANSITION_NAMES) {
      const rule = LEAD_TRANSITIONS[name];
      expect(doc).toMatch(row(`\`${name}\``, rule.from.map((s) => `\`${s}\``).join(', '), `\`${rule.to}\``));
    }
    for (const status of LEAD_STATUSES) expect(doc).toMatch(row(`\`${status}\``));
  });
});
