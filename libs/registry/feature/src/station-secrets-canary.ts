import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError, type AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { SecretBox } from '@ecc/shared-kernel';
import { unopenableStationSecrets } from '@ecc/registry-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';

/**
 * At start, the API opens every station secret in force with SECRETS_KEY. A wrong key would otherwise answer
 * every station with a 500 while the API looks healthy; here it stops the start, naming the variable.
 */
@Injectable()
export class StationSecretsCanary implements OnApplicationBootstrap {
  private readonly logger = new Logger(StationSecretsCanary.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const box = new SecretBox(this.config.secretsKey);
    const { checked, failedStations } = await unopenableStationSecrets(this.prisma, box, new Date());
    if (failedStations.length > 0) {
      const shown = failedStations.slice(0, 10).join(', ') + (failedStations.length > 10 ? ', …' : '');
      throw new ConfigError([
        `SECRETS_KEY: does not open the stored signing secrets of ${failedStations.length} station(s) (${shown}); ` +
          'set it to the key they were sealed with, or re-seal them under this one (npm run secrets:reseal)',
      ]);
    }
    if (this.config.generatedKeys.includes('SECRETS_KEY')) {
      this.logger.warn(
        'SECRETS_KEY is not set: a key of this process alone seals new station secrets, which will not open after ' +
          'a restart (npm start keeps a per-installation key; production requires SECRETS_KEY)',
      );
    }
    this.logger.log(`SECRETS_KEY ${box.keyId} opens the ${checked} station secret(s) in force`);
  }
}
