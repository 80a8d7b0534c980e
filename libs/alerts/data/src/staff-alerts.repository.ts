import type { Role } from '@ecc/identity-domain';
import type { PrismaClient, Tx } from '@ecc/shared-data';

export type StaffAlertKind =
  | 'deadline_approaching'
  | 'deadline_missed'
  | 'response_window_ended'
  /** to the lead's officers: a notice failed for good (resend it, or tell the owner otherwise and go on) */
  | 'notice_failed'
  /** to admins and auditors: the audit chain failed verification */
  | 'audit_chain_broken'
  /** to admins and auditors: a stored evidence object no longer matches its recorded sha256 (or is gone) */
  | 'evidence_integrity_mismatch'
  /** to admins: the working-day calendar in force ends soon (the next year's holidays are missing) */
  | 'working_calendar_expiring'
  /** to the case's officers and the approver: a decision's publication was held (a person's data in it) */
  | 'publication_held';

export interface StaffAlertInput {
  userIds: readonly string[];
  kind: StaffAlertKind;
  message: string;
  caseId?: string | null;
  leadId?: string | null;
  deadlineId?: string | null;
  noticeId?: string | null;
  at: Date;
}

/**
 * Alerts to staff (办案人员、负责人): deadlines, notices failed for good, the system's own checks; one per
 * person and deadline (or notice) and kind.
 */
export class StaffAlertsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Idempotent: an alert already raised for the same person, deadline (or notice) and kind is not repeated. */
  async raise(tx: Tx, input: StaffAlertInput): Promise<number> {
    const result = await tx.staffAlert.createMany({
      data: [...new Set(input.userIds)].map((userId) => ({
        userId,
        kind: input.kind,
        message: input.message,
        caseId: input.caseId ?? null,
        leadId: input.leadId ?? null,
        deadlineId: input.deadlineId ?? null,
        noticeId: input.noticeId ?? null,
        createdAt: input.at,
      })),
      skipDuplicates: true,
    });
    return result.count;
  }

  /**
   * Alerts every active user holding one of `roles` who has not had this very alert yet (same kind and
   * message): a condition found again and again (a broken chain, a calendar running out) is told once per
   * person. Serialised per kind over all processes until the transaction ends, so two workers finding the
   * same condition at once do not both alert. Returns how many were alerted.
   */
  async raiseOnce(
    tx: Tx,
    input: { roles: readonly Role[]; kind: StaffAlertKind; message: string; at: Date },
  ): Promise<number> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ecc.staff-alert.${input.kind}`}))`;
    const users = await tx.user.findMany({
      where: {
        active: true,
        roles: { some: { role: { in: [...input.roles] } } },
        staffAlerts: { none: { kind: input.kind, message: input.message } },
      },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    if (users.length === 0) return 0;
    return this.raise(tx, {
      userIds: users.map((u) => u.id),
      kind: input.kind,
      message: input.message,
      at: input.at,
    });
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
