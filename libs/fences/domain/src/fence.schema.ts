import { z } from 'zod';

/** How the party came forward (到案方式). */
export const RESPONSE_CHANNELS = ['in_person', 'phone', 'online', 'post'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

const isoInstant = z.string().datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

/** `POST /leads/{id}/responses`: the party came forward (当事人到案), recorded by an officer. */
export const recordResponseSchema = z.strictObject({
  respondedAt: isoInstant,
  channel: z.enum(RESPONSE_CHANNELS),
  note: text(2000).optional(),
});
export type RecordResponseInput = z.infer<typeof recordResponseSchema>;

export const FENCE_STATUSES = ['active', 'lifted'] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const limit = z.coerce.number().int().min(1).max(200).default(50);

export const listFencesQuerySchema = z.strictObject({
  status: z.enum(FENCE_STATUSES).optional(),
  plate: text(16).optional(),
  leadId: z.string().uuid().optional(),
  caseId: z.string().uuid().optional(),
  limit,
});
export type ListFencesQuery = z.infer<typeof listFencesQuerySchema>;

export const listAlertsQuerySchema = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  leadId: z.string().uuid().optional(),
  caseId: z.string().uuid().optional(),
  limit,
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuerySchema>;

/** `POST /fences/{id}/lift`: why the watch ends (e.g. 当事人已到案, 已立案). */
export const liftFenceSchema = z.strictObject({ reason: text(500) });
export type LiftFenceInput = z.infer<typeof liftFenceSchema>;

/** `POST /alerts/{id}/resolve`: what the duty team did (e.g. 已拦截并带至超限站处理). */
export const resolveAlertSchema = z.strictObject({ resolution: text(2000) });
export type ResolveAlertInput = z.infer<typeof resolveAlertSchema>;
