import { signingKeyFromSeed, verifyingKeyFromHex, type CheckpointSigningKey } from '@ecc/audit-domain';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG } from '@ecc/platform-nest';

/** The Ed25519 key pair of AUDIT_SIGNING_KEY: signs checkpoints (worker), verifies them (worker and API). */
export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');

export const auditSigningKeyProvider = {
  provide: AUDIT_SIGNING_KEY,
  useFactory: (config: AppConfig): CheckpointSigningKey => signingKeyFromSeed(config.audit.signingKey),
  inject: [APP_CONFIG],
};

/** The public keys of signing keys replaced since (AUDIT_RETIRED_PUBLIC_KEYS): they still verify old checkpoints. */
export const AUDIT_RETIRED_KEYS = Symbol('AUDIT_RETIRED_KEYS');

export type VerifyingKey = Pick<CheckpointSigningKey, 'publicKey' | 'keyId'>;

export const auditRetiredKeysProvider = {
  provide: AUDIT_RETIRED_KEYS,
  useFactory: (config: AppConfig): VerifyingKey[] => config.audit.retiredPublicKeys.map(verifyingKeyFromHex),
  inject: [APP_CONFIG],
};

export type { CheckpointSigningKey };
