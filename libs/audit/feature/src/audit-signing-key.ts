import { signingKeyFromSeed, type CheckpointSigningKey } from '@ecc/audit-domain';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG } from '@ecc/platform-nest';

/** The Ed25519 key pair of AUDIT_SIGNING_KEY: signs checkpoints (worker), verifies them (worker and API). */
export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');

export const auditSigningKeyProvider = {
  provide: AUDIT_SIGNING_KEY,
  useFactory: (config: AppConfig): CheckpointSigningKey => signingKeyFromSeed(config.audit.signingKey),
  inject: [APP_CONFIG],
};

export type { CheckpointSigningKey };
