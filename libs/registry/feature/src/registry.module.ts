import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { SecretBox } from '@ecc/shared-kernel';
import {
  DevicesRepository,
  PermitsRepository,
  RegistryImportRepository,
  StationCredentialsRepository,
  StationsRepository,
} from '@ecc/registry-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { AddCalibrationUseCase, CreateDeviceUseCase } from './create-device.use-case';
import { CreatePermitUseCase } from './create-permit.use-case';
import { CreateStationUseCase } from './create-station.use-case';
import { DevicesController } from './devices.controller';
import { ImportRegistryUseCase } from './import-registry.use-case';
import { PermitsController } from './permits.controller';
import { RegistryImportController } from './registry-import.controller';
import { RotateStationSecretUseCase } from './rotate-station-secret.use-case';
import { StationSecretsCanary } from './station-secrets-canary';
import { StationsController } from './stations.controller';
import { RegistryHooksModule } from './source-unit-site.hooks';

const withDb = <T>(make: (db: PrismaClient) => T) => ({ useFactory: make, inject: [PRISMA] });

/** Registry administration: stations and their secrets, devices, permits, and the vehicle registry imports. */
@Module({
  imports: [RegistryHooksModule],
  controllers: [StationsController, DevicesController, PermitsController, RegistryImportController],
  providers: [
    { provide: StationsRepository, ...withDb((db) => new StationsRepository(db)) },
    { provide: DevicesRepository, ...withDb((db) => new DevicesRepository(db)) },
    { provide: PermitsRepository, ...withDb((db) => new PermitsRepository(db)) },
    { provide: RegistryImportRepository, useValue: new RegistryImportRepository() },
    {
      provide: StationCredentialsRepository,
      useFactory: (db: PrismaClient, config: AppConfig) =>
        new StationCredentialsRepository(db, new SecretBox(config.secretsKey)),
      inject: [PRISMA, APP_CONFIG],
    },
    CreateStationUseCase,
    RotateStationSecretUseCase,
    CreateDeviceUseCase,
    AddCalibrationUseCase,
    CreatePermitUseCase,
    ImportRegistryUseCase,
    StationSecretsCanary,
  ],
})
export class RegistryModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  /** Registry imports accept text/csv: read as one string, within the body limit. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('text/csv'))
      fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
  }
}
