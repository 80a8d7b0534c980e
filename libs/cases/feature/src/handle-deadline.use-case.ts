import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DEADLINE_INFO, type DeadlineKind as CaseDeadlineKind } from '@ecc/cases-domain';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { DeadlinesRepository, type DeadlineRow } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { localDate, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { APP_CONFIG, CLOCK, PRISMA } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DeadlineDueHandlers, type DeadlineDueHandler } from './deadline-due-handler';

const TITLE = (kind: string) =>
  kind === 'response_window'
    ? '短信告知的回应期限'
    : (DEADLINE_INFO[kind as CaseDeadlineKind]?.title ?? kind);

/** Who hears about a case's deadline: its officers and the approver(s) who acted on it. */
async function caseStaff(tx: Tx, caseId: string): Promise<{ userIds: string[]; caseNumber: string | null }> {
  const row = await tx.case.findUnique({
    where: { id: caseId },
    select: {
      caseNumber: true,
      officers: { select: { userId: true } },
      approvals: { select: { approverId: true } },
    },
  });
  if (!row) return { userIds: [], caseNumber: null };
  return {
    userIds: [...new Set([...row.officers.map((o) => o.userId), ...row.approvals.map((a) => a.approverId)])],
    caseNumber: row.caseNumber,
  };
}

/** The decision's publication when the publicity policy left it unpublished (公示, 行政处罚法 Art. 48), else null. */
async function unpublished(tx: Tx, caseId: string): Promise<{ status: string; rule: string } | null> {
  const publication = await tx.publication.findUnique({
    where: { caseId },
    select: { status: true, rule: true },
  });
  return publication?.status === 'not_published' ? publication : null;
}

/**
 * Built-in due handling: a bureau's deadline (decision, service, payment watch, report, publicity) that is
 * still open is missed → alert the case's officers and approver; a party's window (statement, hearing
 * request) lapses by itself → closed quietly; a lead's response window with no response → alert the
 * reviewing officer (until the electronic fence registers its own handler).
 */
@Injectable()
export class DefaultDeadlineDueHandlers implements OnModuleInit {
  constructor(
    private readonly registry: DeadlineDueHandlers,
    private readonly deadlines: DeadlinesRepository,
    private readonly alerts: StaffAlertsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const missed: DeadlineDueHandler = {
      kinds: ['decision_due', 'service_due', 'payment_due', 'home_authority_report_due', 'publicity_due'],
      onDue: async (tx, d, now) => {
        const notOwed = d.kind === 'publicity_due' && d.caseId ? await unpublished(tx, d.caseId) : null;
        if (notOwed) {
          // Art. 48: no publication is owed for a decision the publicity policy does not publish (a period
          // started before approve_decision read the policy): closed as not applicable, without an alert.
          await this.deadlines.close(tx, d.id, 'cancelled', now, 'publicity_not_applicable');
          return { outcome: 'not_applicable', publication: notOwed };
        }
        await this.deadlines.close(tx, d.id, 'missed', now, 'deadline_sweep');
        if (!d.caseId) return;
        const staff = await caseStaff(tx, d.caseId);
        await this.alerts.raise(tx, {
          userIds: staff.userIds,
          kind: 'deadline_missed',
          caseId: d.caseId,
          deadlineId: d.id,
          message: `案件${staff.caseNumber ?? ''}的${TITLE(d.kind)}已于${localDate(d.dueAt, this.config.bureau.timeZone)}届满，尚未办结`,
          at: now,
        });
      },
    };
    const lapses: DeadlineDueHandler = {
      kinds: ['statement_window', 'hearing_request_window'],
      onDue: async (tx, d, now) => this.deadlines.close(tx, d.id, 'met', now, 'lapsed'),
    };
    const responseWindow: DeadlineDueHandler = {
      kinds: ['response_window'],
      onDue: async (tx, d, now) => {
        await this.deadlines.close(tx, d.id, 'missed', now, 'deadline_sweep');
        if (!d.leadId) return;
        const lead = await tx.lead.findUnique({
          where: { id: d.leadId },
          select: { plate: true, reviewedById: true },
        });
        if (!lead?.reviewedById) return;
        await this.alerts.raise(tx, {
          userIds: [lead.reviewedById],
          kind: 'response_window_ended',
          leadId: d.leadId,
          deadlineId: d.id,
          message: `车辆${lead.plate}的告知回应期限已于${localDate(d.dueAt, this.config.bureau.timeZone)}届满，当事人未回应`,
          at: now,
        });
      },
    };
    for (const h of [missed, lapses, responseWindow]) this.registry.registerDefault(h);
  }
}

/**
 * A deadline reached a phase (job or sweep): `approaching` alerts the case's staff once, `due` runs the
 * handler of its kind. Idempotent: the row lock and its status/alertedAt make a repeat a no-op.
 */
@Injectable()
export class HandleDeadlineUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deadlines: DeadlinesRepository,
    private readonly alerts: StaffAlertsRepository,
    private readonly handlers: DeadlineDueHandlers,
  ) {}

  async execute(
    deadlineId: string,
    phase: 'approaching' | 'due',
  ): Promise<'done' | 'not_yet' | 'nothing_to_do'> {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const d = await this.deadlines.lock(tx, deadlineId);
      if (!d || d.status !== 'open') return 'nothing_to_do';
      if (phase === 'approaching') {
        if (d.alertedAt || !d.approachingAt) return 'nothing_to_do';
        if (d.approachingAt > now) return 'not_yet';
        if (d.dueAt < now) return 'nothing_to_do'; // the due phase alerts instead
        await this.deadlines.markAlerted(tx, d.id, now);
        if (d.caseId) {
          const staff = await caseStaff(tx, d.caseId);
          await this.alerts.raise(tx, {
            userIds: staff.userIds,
            kind: 'deadline_approaching',
            caseId: d.caseId,
            deadlineId: d.id,
            message: `案件${staff.caseNumber ?? ''}的${TITLE(d.kind)}将于${localDate(d.dueAt, this.config.bureau.timeZone)}届满`,
            at: now,
          });
        }
        await this.audit(tx, d, 'deadline.approaching', now);
        return 'done';
      }
      if (d.dueAt >= now) return 'not_yet';
      const handler = this.handlers.for(d.kind);
      if (!handler) return 'nothing_to_do';
      const ended = await handler.onDue(tx, d, now);
      await this.audit(tx, d, 'deadline.due', now, ended ?? {});
      return 'done';
    });
  }

  private async audit(
    tx: Tx,
    d: DeadlineRow,
    action: string,
    now: Date,
    ended: Record<string, unknown> = {},
  ): Promise<void> {
    await recordAudit(
      tx,
      {
        actor: systemActor('deadlines'),
        action,
        entityType: d.caseId ? 'case' : 'lead',
        entityId: (d.caseId ?? d.leadId)!,
        changes: { deadlineId: d.id, kind: d.kind, dueAt: d.dueAt.toISOString(), ...ended },
      },
      now,
    );
  }
}
