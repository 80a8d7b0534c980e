import type { NoticeRecord } from '@ecc/notices-data';
import type { NoticeView } from './notices.schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toNoticeView(n: NoticeRecord): NoticeView {
  return {
    id: n.id,
    leadId: n.leadId,
    caseId: n.caseId,
    channel: n.channel,
    template: n.template,
    recipient: n.recipient,
    recipientPartyId: n.recipientPartyId,
    body: n.body,
    status: n.status,
    respondBy: iso(n.respondBy),
    sentAt: iso(n.sentAt),
    deliveredAt: iso(n.deliveredAt),
    nextAttemptAt: iso(n.nextAttemptAt),
    resendOfId: n.resendOfId,
    resentAsId: n.resentAs?.id ?? null,
    createdAt: n.createdAt.toISOString(),
    attempts: n.attempts.map((a) => ({
      attemptNo: a.attemptNo,
      status: a.status,
      provider: a.provider,
      providerMessageId: a.providerMessageId,
      error: a.error,
      attemptedAt: a.attemptedAt.toISOString(),
      completedAt: iso(a.completedAt),
    })),
  };
}
