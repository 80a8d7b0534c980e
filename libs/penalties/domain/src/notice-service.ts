import { type FieldIssue } from '@ecc/shared-kernel';

/** How a pre-penalty notice reached the party (行政处罚法 Art. 61; 民事诉讼法 Arts. 87-95 by reference). */
export const NOTICE_SERVICE_METHODS = ['direct', 'post', 'electronic', 'announcement'] as const;
export type NoticeServiceMethod = (typeof NOTICE_SERVICE_METHODS)[number];

/** The service of one case's notice as the officer records it in a batch. */
export interface NoticeService {
  caseId: string;
  servedAt: Date;
  method: NoticeServiceMethod;
}

/** What a notice cannot have been served before: the facts it states and the penalty it proposes (Art. 44). */
export interface NoticePrerequisites {
  /** The last investigation record (Art. 54: facts are investigated before a penalty is proposed). */
  lastInvestigationAt?: Date | null;
  /** The last change of the proposed penalty, which the notice states. */
  proposedPenaltyChangedAt?: Date | null;
}

/**
 * The service of each pre-penalty notice of a batch, as recorded (同步处罚): the statement window and the 5
 * working days to request a hearing run from the day the party received the notice (行政处罚法 Arts. 44, 64(1),
 * 85), not from the day the bureau issued the batch. A notice sent by post is served on the day its receipt
 * shows. So the service of every case is stated, and checked: not in the future, and not before the facts and
 * the proposed penalty the notice states existed. `at` are the prerequisites per case; the issues name the
 * entry (`service.i`) that is wrong.
 */
export function noticeServiceIssues(
  service: NoticeService[],
  now: Date,
  at: ReadonlyMap<string, NoticePrerequisites>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  service.forEach((s, i) => {
    const path = `body.service.${i}.servedAt`;
    if (s.servedAt.getTime() > now.getTime()) {
      issues.push({ path, message: 'lies in the future: record a service once it has happened' });
      return;
    }
    const p = at.get(s.caseId);
    const before = [
      ['the last investigation record', p?.lastInvestigationAt],
      ['the proposed penalty', p?.proposedPenaltyChangedAt],
    ] as const;
    for (const [what, when] of before) {
      if (when && s.servedAt.getTime() < when.getTime()) {
        issues.push({
          path,
          message: `precedes ${what} (${when.toISOString()}) that the notice states (行政处罚法第四十四条)`,
        });
      }
    }
  });
  return issues;
}
