import { z } from 'zod';
import { defineJob, type JobDefinition } from './job-definition';

/**
 * Every queue and job of the system. Adding a job here without a handler in the worker stops the worker
 * at start-up; so does a handler for a job that is not declared here.
 */
export const JOBS = {
  /** Screen one accepted detection into no violation, invalid, or a lead (issue: intake). */
  screenDetection: defineJob({
    queue: 'screening',
    name: 'screen-detection',
    payload: z.strictObject({ detectionId: z.string().uuid() }),
    // The outbox sweeper may enqueue a detection again: one job per detection, ever, while it is kept.
    jobId: (p) => `screen-${p.detectionId}`,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
  }),
  /**
   * Screen the detections of one intake batch (the requests that shared one insert): one job instead of one
   * per detection, so that Redis and the worker handle a job per batch. A batch of one is a `screenDetection`
   * job; so is every detection the outbox sweeper enqueues again. Screening is idempotent per detection, so a
   * detection in both kinds of job is screened once.
   */
  screenDetections: defineJob({
    queue: 'screening',
    name: 'screen-detections',
    payload: z.strictObject({ detectionIds: z.array(z.string().uuid()).min(1).max(500) }),
    // Each detection is in one intake batch: its first detection names the job.
    jobId: (p) => `screen-batch-${p.detectionIds[0]}`,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
  }),
  /**
   * Send one notice through its channel: SMS (短信告知) or information push (信息推送). One job per attempt;
   * a provider's failure schedules the notice's next attempt (NOTICE_RETRY_*), which the worker's sweeper
   * enqueues when due, as it does notices still pending; the handler skips any already sent.
   */
  sendNotice: defineJob({
    queue: 'notices',
    name: 'send-notice',
    payload: z.strictObject({ noticeId: z.string().uuid() }),
    jobId: (p) => `notice-${p.noticeId}`,
    // the queue's own retries are for the database or Redis being away, not for the provider
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
  }),
  /**
   * A lead's or case's deadline reaches a phase: `approaching` (alert its staff ahead) or `due` (missed,
   * lapsed, or the lead's response window over). Delayed until then; the worker's sweep re-finds any lost one.
   */
  deadlineDue: defineJob({
    queue: 'deadlines',
    name: 'deadline-due',
    payload: z.strictObject({ deadlineId: z.string().uuid(), phase: z.enum(['approaching', 'due']) }),
    jobId: (p) => `deadline-${p.deadlineId}-${p.phase}`,
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
  }),
  /**
   * Print one case document version to PDF (docs/documents.md), off the request path of the action that
   * wrote it: the PDF goes to the object store and its sha256 to the version. Idempotent; a version whose
   * job was lost is printed when first asked for.
   */
  renderCaseDocument: defineJob({
    queue: 'documents',
    name: 'render-case-document',
    payload: z.strictObject({ documentId: z.string().uuid(), version: z.number().int().min(1) }),
    jobId: (p) => `pdf-${p.documentId}-v${p.version}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 2000 },
  }),
} as const satisfies Record<string, JobDefinition>;

export type JobKey = keyof typeof JOBS;

export const ALL_JOBS: readonly JobDefinition[] = Object.values(JOBS);

export const QUEUE_NAMES: readonly string[] = [...new Set(ALL_JOBS.map((j) => j.queue))];

export function jobsOfQueue(queue: string): JobDefinition[] {
  return ALL_JOBS.filter((j) => j.queue === queue);
}
