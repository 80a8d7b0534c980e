import { z } from 'zod';

export const NOTICE_STATUSES = ['pending', 'sent', 'delivered', 'failed'] as const;
export const NOTICE_CHANNELS = ['sms', 'push'] as const;
export const ATTEMPT_STATUSES = ['sending', 'sent', 'delivered', 'failed'] as const;

/** `GET /notices` query. */
export const listNoticesQuerySchema = z.strictObject({
  status: z.enum(NOTICE_STATUSES).optional(),
  channel: z.enum(NOTICE_CHANNELS).optional(),
  leadId: z.string().uuid().optional(),
  caseId: z.string().uuid().optional(),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListNoticesQuery = z.infer<typeof listNoticesQuerySchema>;

export const noticeAttemptSchema = z.object({
  attemptNo: z.number().int(),
  status: z.enum(ATTEMPT_STATUSES),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  attemptedAt: z.string(),
  completedAt: z.string().nullable(),
});

export const noticeViewSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  caseId: z.string().uuid().nullable(),
  channel: z.enum(NOTICE_CHANNELS),
  template: z.string(),
  /** phone number (sms) or receiving organisation (push) */
  recipient: z.string(),
  recipientPartyId: z.string().uuid().nullable(),
  /** the rendered text, as sent */
  body: z.string(),
  status: z.enum(NOTICE_STATUSES),
  /** the response deadline stated in the notice (its last instant) */
  respondBy: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** pending after its provider failed: when the next attempt is due */
  nextAttemptAt: z.string().nullable(),
  /** the failed notice this one resends */
  resendOfId: z.string().uuid().nullable(),
  /** failed, and resent by an officer as this notice */
  resentAsId: z.string().uuid().nullable(),
  createdAt: z.string(),
  attempts: z.array(noticeAttemptSchema),
});
export type NoticeView = z.infer<typeof noticeViewSchema>;

export const noticeListSchema = z.object({
  items: z.array(noticeViewSchema),
  /** null on the last page */
  nextCursor: z.string().nullable(),
});

/**
 * A delivery receipt of the SMS vendor (`POST /notices/receipts/{provider}`), signed over the raw body
 * (X-Signature = hex HMAC-SHA256 with SMS_HTTP_CALLBACK_SECRET).
 */
export const receiptBodySchema = z.strictObject({
  messageId: z.string().min(1).max(200),
  status: z.enum(['delivered', 'failed']),
  /** the vendor's reason for a failure */
  error: z.string().max(2000).optional(),
  /** when the handset received it (or the carrier gave up), ISO 8601 with offset */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type ReceiptBody = z.infer<typeof receiptBodySchema>;

export const receiptResultSchema = z.object({
  noticeId: z.string().uuid(),
  status: z.enum(NOTICE_STATUSES),
  /** false when the receipt repeated what was already recorded */
  changed: z.boolean(),
});
