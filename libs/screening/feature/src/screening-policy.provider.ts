import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { screeningPolicySchema, type ScreeningPolicy } from '@ecc/screening-domain';
import { APP_CONFIG, CLOCK } from '@ecc/platform-nest';

const TTL_MS = 30_000;

/** A stored version of the `screening` policy. */
export interface StoredVersion {
  value: unknown;
  validFrom: Date;
  validTo: Date | null;
}

type Version = { validFrom: number; validTo: number | null; policy: ScreeningPolicy | Error };

/**
 * The screening policy in force when the vehicle passed (key `screening`, versioned by validity); the
 * defaults while none is stored. The versions are read and validated once per 30 s rather than per detection.
 * A detection newer than the last read always triggers a fresh read, so a version an admin has just opened
 * applies at once to what is detected from then on. A stored version that does not parse stops screening
 * loudly (the job fails, is retried and shows in the dashboard) rather than screening with rules nobody chose.
 */
@Injectable()
export class ScreeningPolicyProvider {
  private cached?: { loadedAt: number; versions: Version[] };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `readVersions`: the stored versions, read in the screening transaction (a reload inside it must not wait for
   * a second connection).
   */
  async at(detectedAt: Date, readVersions: () => Promise<StoredVersion[]>): Promise<ScreeningPolicy> {
    const at = detectedAt.getTime();
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.loadedAt >= TTL_MS || at > this.cached.loadedAt) {
      const rows = await readVersions();
      this.cached = {
        loadedAt: now,
        versions: rows.map((r) => ({
          validFrom: r.validFrom.getTime(),
          validTo: r.validTo?.getTime() ?? null,
          policy: this.parse(r.value),
        })),
      };
    }
    const version = this.cached.versions.find(
      (v) => v.validFrom <= at && (v.validTo === null || at < v.validTo),
    );
    const policy = version ? version.policy : this.parse({});
    if (policy instanceof Error) throw policy;
    return policy;
  }

  private parse(stored: unknown): ScreeningPolicy | Error {
    const value = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
    // The bureau's zone unless the policy names one.
    const parsed = screeningPolicySchema.safeParse({ timeZone: this.config.bureau.timeZone, ...value });
    return parsed.success
      ? parsed.data
      : new DomainError(
          'unavailable',
          'screening_policy_invalid',
          `the stored screening policy is invalid: ${parsed.error.message}`,
        );
  }
}
