import { Inject, Injectable, Logger } from '@nestjs/common';
import { InterceptionAlertsRepository } from '@ecc/fences-data';
import type { Clock } from '@ecc/shared-kernel';
import { CLOCK } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';
import { FencedPlates } from './fenced-plates';

const RETRY_DELAYS_MS = [100, 500, 2_000];

/**
 * 拦截: called by intake once a detection is committed. An unfenced plate returns at once (a Set lookup);
 * a fenced one raises the alert (insert + audit) and publishes it to every API's SSE stream, without
 * holding up the station's answer. A failure is logged, never thrown back into intake.
 */
@Injectable()
export class InterceptionCheck {
  private readonly logger = new Logger(InterceptionCheck.name);

  constructor(
    private readonly plates: FencedPlates,
    private readonly alerts: InterceptionAlertsRepository,
    private readonly bus: FenceBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  afterDetectionAccepted(detection: { detectionId: string; plate: string }): void {
    if (!detection.plate || !this.plates.has(detection.plate)) return;
    void this.raiseWithRetry(detection.detectionId);
  }

  /**
   * A database or Redis blip must not lose the alert: a few quick retries (the insert is idempotent on
   * fence and detection, so a retry after a lost answer raises nothing twice).
   */
  private async raiseWithRetry(detectionId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.raise(detectionId);
        return;
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length + 1) {
          this.logger.error({ err, detectionId }, 'raising an interception alert failed');
          return;
        }
        this.logger.warn({ err, detectionId, attempt }, 'raising an interception alert failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
      }
    }
  }

  /** Raises the alerts of one detection and publishes them; returns them (tests, retries). */
  async raise(detectionId: string) {
    const raised = await this.alerts.raiseForDetection(detectionId, this.clock.now());
    for (const alert of raised) {
      this.logger.log(
        { alertId: alert.id, fenceId: alert.fenceId, detectionId },
        'interception alert raised',
      );
      await this.bus.publishAlert(alert);
    }
    return raised;
  }
}
