import { Inject, Injectable } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { APP_CONFIG, CLOCK, PeriodicTask, PRISMA, recordAuditVerification } from '@ecc/platform-nest';
import {
  VerifyAuditChainUseCase,
  type AuditVerification,
  type VerifiedThrough,
} from './verify-audit-chain.use-case';

/** The staff alert of a break: the same break always gives the same message (one alert per person). */
export function chainBrokenMessage(v: AuditVerification): string {
  return (
    `审计链校验失败 (audit chain broken) at event ${v.firstBrokenEventId ?? '?'} ` +
    `(chain seq ${v.firstBrokenChainSeq ?? '?'}): ${v.reason}`
  );
}

/**
 * The scheduled verification (AUDIT_VERIFY_INTERVAL_MS): on a break, logs an error and alerts every active
 * admin and auditor once per break (`audit_chain_broken`, GET /me/alerts), not at every run. A full run reads
 * every event, which grows with the trail: so a run verifies only what was sealed after the last event the
 * previous run verified, and the whole chain (with every checkpoint) runs at start, after a break and every
 * AUDIT_FULL_VERIFY_INTERVAL_MS — a change to an event already verified is found by that full run.
 */
@Injectable()
export class AuditChainMonitor extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly verify: VerifyAuditChainUseCase,
    private readonly staffAlerts: StaffAlertsRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.audit.verifyIntervalMs;
  }

  /** The last event verified intact, and when the last full run began. */
  private verified: VerifiedThrough | undefined;
  private lastFullAt = -Infinity;

  async sweep(): Promise<{ verification: AuditVerification; alerted: number }> {
    const now = this.clock.now().getTime();
    const full = !this.verified || now - this.lastFullAt >= this.config.audit.fullVerifyIntervalMs;
    const verification = await this.verify.execute(full ? undefined : this.verified);
    if (full) this.lastFullAt = now;
    recordAuditVerification(verification.ok, this.clock.now());
    const through = verification.verifiedThrough;
    this.verified =
      verification.ok && through ? { chainSeq: BigInt(through.chainSeq), hash: through.hash } : undefined;
    if (verification.ok) return { verification, alerted: 0 };
    this.logger.error({ verification }, 'the audit chain failed verification');
    const alerted = await this.raiseAlerts(verification);
    return { verification, alerted };
  }

  /** Alerts the admins and auditors not yet alerted of this break; how many were. */
  async raiseAlerts(verification: AuditVerification): Promise<number> {
    const message = chainBrokenMessage(verification);
    return this.prisma.$transaction((tx) =>
      this.staffAlerts.raiseOnce(tx, {
        roles: ['admin', 'auditor'],
        kind: 'audit_chain_broken',
        message,
        at: this.clock.now(),
      }),
    );
  }
}
