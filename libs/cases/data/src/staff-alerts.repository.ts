import type { PrismaClient, Tx } from '@ecc/shared-data';

export type StaffAlertKind =
  | 'deadline_approaching'
  | 'deadline_missed'
  | 'response_window_ended'
  /** to admins and auditors: the audit chain failed verification */
  | 'audit_chain_broken'
  /** to admins and auditors: a stored evidence object no longer matches its recorded sha256 (or is gone) */
  | 'evidence_integrity_mismatch'
  /** to admins: the working-day calendar in force ends soon (the next year's holidays are missing) */
  | 'working_calendar_expiring';

export interface StaffAlertInput {
  userIds: readonly string[];
  kind: StaffAlertKind;
  message: string;
  caseId?: string | null;
  leadId?: string | null;
  deadlineId?: string | null;
  at: Date;
}

/** Alerts to staff (办案人员、负责人) about their deadlines; one per person, deadline and kind. */
export class StaffAlertsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Idempotent: an alert already raised for the same person, deadline and kind is not repeated. */
  async raise(tx: Tx, input: StaffAlertInput): Promise<number> {
    const result = await tx.staffAlert.createMany({
      data: [...new Set(input.userIds)].map((userId) => ({
        userId,
        kind: input.kind,
        message: input.message,
        caseId: input.caseId ?? null,
        leadId: input.leadId ?? null,
        deadlineId: input.deadlineId ?? null,
        createdAt: input.at,
      })),
      skipDuplicates: true,
    });
    return result.count;
  }

  async listFor(userId: string, filter: { unread?: boolean; limit: number }) {
    return this.db.staffAlert.findMany({
      where: { userId, ...(filter.unread ? { readAt: null } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
    });
  }

  async markRead(tx: Tx, userId: string, id: string, at: Date) {
    const alert = await tx.staffAlert.findFirst({ where: { id, userId } });
    if (!alert) return null;
    if (alert.readAt) return alert;
    return tx.staffAlert.update({ where: { id }, data: { readAt: at } });
  }
}
