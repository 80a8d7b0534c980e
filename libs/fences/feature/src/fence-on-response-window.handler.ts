import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import type { DeadlineRow } from '@ecc/cases-data';
import { DeadlineDueHandlers, type DeadlineDueHandler } from '@ecc/cases-feature';
import { fenceLeadOnWindowEnd } from '@ecc/fences-data';
import { localDate } from '@ecc/shared-kernel';
import type { AppConfig } from '@ecc/shared-config';
import type { Tx } from '@ecc/shared-data';
import { APP_CONFIG } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';

/**
 * 电子围栏布控 (lifecycle step 5): the lead's `response_window` ended with no response → its vehicle is
 * fenced, and the reviewing officer is told. Registered with the case workflow's deadline-due registry,
 * so the deadline job and the sweep (libs/cases/feature) decide when; this decides what.
 */
@Injectable()
export class FenceOnResponseWindowEnd implements DeadlineDueHandler, OnModuleInit {
  readonly kinds = ['response_window'] as const;
  private readonly logger = new Logger(FenceOnResponseWindowEnd.name);

  constructor(
    private readonly registry: DeadlineDueHandlers,
    private readonly staffAlerts: StaffAlertsRepository,
    private readonly bus: FenceBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async onDue(tx: Tx, deadline: DeadlineRow, now: Date): Promise<void> {
    await tx.deadline.update({
      where: { id: deadline.id },
      data: { status: 'missed', stoppedAt: now, stoppedBy: 'deadline_sweep' },
    });
    if (!deadline.leadId) return;
    const fence = await fenceLeadOnWindowEnd(tx, {
      leadId: deadline.leadId,
      deadlineId: deadline.id,
      dueAt: deadline.dueAt,
      at: now,
    });
    if (!fence) return;
    const lead = await tx.lead.findUnique({ where: { id: deadline.leadId }, select: { reviewedById: true } });
    if (lead?.reviewedById) {
      await this.staffAlerts.raise(tx, {
        userIds: [lead.reviewedById],
        kind: 'response_window_ended',
        leadId: deadline.leadId,
        deadlineId: deadline.id,
        message: `车辆${fence.plate}的告知回应期限已于${localDate(deadline.dueAt, this.config.bureau.timeZone)}届满，当事人未回应，已布控电子围栏`,
        at: now,
      });
    }
    this.logger.log({ fenceId: fence.id, leadId: deadline.leadId }, 'vehicle fenced: response window ended');
    // Announced inside the transaction (the registry gives no after-commit hook): the APIs keep an announced
    // plate for a grace period even if a reload does not see it yet, and the fences table decides anyway.
    await this.bus
      .publishChanged({ kind: 'fenced', fenceId: fence.id, plate: fence.plate })
      .catch((err: unknown) =>
        this.logger.warn({ err }, 'announcing the fence failed; the APIs reload periodically'),
      );
  }
}
