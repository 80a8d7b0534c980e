import { Inject, Injectable } from '@nestjs/common';
import { InterceptionAlertsRepository } from '@ecc/fences-data';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, PeriodicTask } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';

/** Detections younger than this are left to the API's own check (it retries for about 2.6 s). */
const GRACE_MS = 5_000;
/** How far back each run looks: a few runs' worth, so a worker restart or a slow run loses nothing. */
const LOOK_BACK_MS = 15 * 60_000;

/**
 * The worker's safety net for 拦截预警 (FENCE_SWEEP_INTERVAL_MS): an API raises the alert of a fenced plate
 * right after the detection's commit, from its in-memory watch list; if it dies in between, or had not yet
 * learnt of a fence made by another process, the alert would be lost. Each run raises the missing alerts of
 * the detections received in the last LOOK_BACK_MS (but not the last GRACE_MS) and publishes them to every
 * API's stream. Idempotent on (fence, detection) with the API's own check.
 */
@Injectable()
export class InterceptionSweep extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly alerts: InterceptionAlertsRepository,
    private readonly bus: FenceBus,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.fences.sweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const raised = await this.alerts.raiseMissed(
      now,
      new Date(now.getTime() - LOOK_BACK_MS),
      new Date(now.getTime() - GRACE_MS),
    );
    for (const alert of raised) {
      this.logger.warn(
        { alertId: alert.id, fenceId: alert.fenceId, detectionId: alert.detectionId },
        'interception alert raised by the sweep: the API did not raise it',
      );
      await this.bus.publishAlert(alert);
    }
    return raised.length;
  }
}
