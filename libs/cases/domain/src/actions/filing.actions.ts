import { decisionDeadline } from '@ecc/legal-domain';
import { z } from 'zod';
import { complexMark, forbidden, invalid, markComplex, requireTwoOfficers } from './case-action-helpers';
import { approver, defineCaseAction, id, officer, same, text, to } from './define-case-action';

/** 立案: an officer asks, the approver files (and the case gets its number) or refuses; officers are assigned. */

export const requestFiling = defineCaseAction({
  type: 'request_filing',
  stage: 'filing',
  title: '提请立案',
  roles: officer,
  transitions: to(['draft'], 'filing_requested'),
  article: '行政处罚法 Art. 54, 42, 58(1)(三)',
  input: { complex: complexMark },
  example: { expectedVersion: 0 },
  guard: (c) => requireTwoOfficers(c.s),
  apply: (s, a, c) => {
    s.filingRequestedAt = c.now;
    markComplex(s, a.complex);
  },
});

export const approveFiling = defineCaseAction({
  type: 'approve_filing',
  stage: 'filing',
  title: '批准立案',
  roles: approver,
  transitions: to(['filing_requested'], 'filed'),
  starts: ['decision_due'],
  article: '行政处罚法 Art. 54, 42, 60',
  system: { caseNumber: z.string().trim().min(1).max(100).optional() },
  systemRefusals: {
    caseNumber: {
      code: 'case_number_assigned_by_system',
      message: 'the case number is allocated by the system',
    },
  },
  example: { expectedVersion: 1 },
  guard: (c) => requireTwoOfficers(c.s),
  run: (c) => ({
    started: [{ kind: 'decision_due', startedAt: c.now, dueAt: decisionDeadline(c.now, c.dl).due }],
  }),
  apply: (s, a, c) => {
    s.filing = { approvedBy: c.actor.id, filedAt: c.now };
    if (a.caseNumber) s.caseNumber = a.caseNumber;
  },
});

export const rejectFiling = defineCaseAction({
  type: 'reject_filing',
  stage: 'filing',
  title: '不予立案',
  roles: approver,
  transitions: to(['filing_requested'], 'not_filed'),
  article: '行政处罚法 Art. 54',
  input: { reason: text.describe('why the case is not filed') },
  example: { reason: '称重数据异常，不予立案' },
  apply: (s, a, c) => {
    s.filing = { rejectedBy: c.actor.id, rejectedAt: c.now, reason: a.reason };
  },
});

const officerSchema = z.strictObject({
  userId: id,
  enforcementCertificateNo: z.string().trim().min(1).max(64).nullable(),
});

export const assignOfficers = defineCaseAction({
  type: 'assign_officers',
  stage: 'filing',
  title: '指派执法人员',
  roles: ['officer', 'approver'],
  transitions: same(['draft', 'filing_requested', 'filed', 'investigating', 'returned']),
  article: '行政处罚法 Art. 42, 58',
  independentOfCase: false,
  /** Their certificate numbers are read from their users (Art. 42), never taken from the request. */
  system: { officers: z.array(officerSchema).min(1).max(20) },
  systemRefusals: {
    officers: { message: 'name the officers by officerIds; certificates come from their users' },
  },
  extras: {
    officerIds: z
      .array(z.string().uuid())
      .min(1)
      .max(20)
      .describe('the users who act as officers of the case (active, officer role, certificate on record)'),
  },
  example: {
    officerIds: ['7d1c0f5e-6a43-4f6b-9a0e-2f1f3c9b8a01', '0b3e1f7a-52c4-4d0e-8f6a-9c2d7e4b1a02'],
  },
  run: (c, a) => {
    const ids = a.officers.map((o) => o.userId);
    if (new Set(ids).size !== ids.length)
      throw invalid('duplicate_officer', 'officers', 'an officer is listed twice');
    // Separation of duties (Art. 58): whoever reviewed the case cannot become one of its officers.
    const reviewers = new Set(c.s.legalReviews.map((r) => r.reviewerId).filter((r): r is string => !!r));
    const clash = ids.find((userId) => reviewers.has(userId));
    if (clash)
      throw forbidden(
        'officer_is_case_reviewer',
        `${clash} 已审核本案，不得担任本案执法人员（行政处罚法第五十八条）`,
      );
    // Art. 42: once filed, the case may never drop below two certified officers.
    if (!['draft', 'filing_requested'].includes(c.s.state))
      requireTwoOfficers({ ...c.s, officers: a.officers });
    return {};
  },
  apply: (s, a) => {
    s.officers = a.officers.map((o) => ({
      userId: o.userId,
      enforcementCertificateNo: o.enforcementCertificateNo,
    }));
  },
});

export const FILING_ACTIONS = [requestFiling, approveFiling, rejectFiling, assignOfficers] as const;
