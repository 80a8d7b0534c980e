import { ConfigError, loadConfig } from '@ecc/shared-config';
import { createPrismaClient } from '@ecc/shared-data';
import { SecretBox } from '@ecc/shared-kernel';
import { resealStationSecrets, unopenableStationSecrets } from './station-secrets-key';

/**
 * `npm run secrets:reseal`: re-seals the station secrets from SECRETS_KEY to NEW_SECRETS_KEY (both from the
 * environment, never the command line), then checks that the new key opens every secret in force. Stop the
 * APIs first and start them again with SECRETS_KEY set to the new key (docs/security.md, "Rotating keys").
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.generatedKeys.includes('SECRETS_KEY')) {
    throw new ConfigError(['SECRETS_KEY: set it to the key the station secrets are sealed under now']);
  }
  if (!config.newSecretsKey) {
    throw new ConfigError(['NEW_SECRETS_KEY: set it to the key to re-seal the station secrets under']);
  }
  const from = new SecretBox(config.secretsKey);
  const to = new SecretBox(config.newSecretsKey);
  const db = createPrismaClient(config.database.url, { poolSize: 1 });
  try {
    const { resealed } = await resealStationSecrets(db, from, to);
    const check = await unopenableStationSecrets(db, to, new Date());
    if (check.failedStations.length > 0) throw new Error(`not re-sealed: ${check.failedStations.join(', ')}`);
    console.log(
      `re-sealed ${resealed} station secret(s) from key ${from.keyId} to key ${to.keyId}; ` +
        'start the APIs with SECRETS_KEY set to the new key',
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
