import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '@ecc/shared-config';
import { SecretBox } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { StationCredentialsRepository } from '@ecc/registry-data';
import { DetectionsRepository, EvidenceRepository } from '@ecc/intake-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { DETECTIONS_ROUTE, DetectionsController } from './detections.controller';
import { EvidenceCollectionController } from './evidence-collection.controller';
import { EvidenceStore } from './evidence-store';
import { EvidenceCollectionUseCase } from './reopen-evidence-collection.use-case';
import { ReceiveDetectionUseCase } from './receive-detection.use-case';
import { detectionJsonParser, registerStationBodyParsers } from './station-body-parsers';
import { StationAuthenticator } from './station-authenticator';
import { StationRateLimiter } from './station-rate-limiter';
import { SignedJsonGuard, SignedStreamGuard } from './station-signature.guard';
import { UploadEvidenceUseCase } from './upload-evidence.use-case';

/** Nest's Fastify adapter registers body parsers (its type is in @nestjs/platform-fastify, not a dependency here). */
interface BodyParsers {
  useBodyParser?(
    type: string,
    rawBody: boolean,
    options: { bodyLimit?: number },
    parser: () => unknown,
  ): void;
}

/** The station protocol (HTTP API only): signed detections and evidence in, a receipt out. */
@Module({
  controllers: [DetectionsController, EvidenceCollectionController],
  providers: [
    {
      provide: StationCredentialsRepository,
      useFactory: (db: PrismaClient, config: AppConfig) =>
        new StationCredentialsRepository(db, new SecretBox(config.secretsKey)),
      inject: [PRISMA, APP_CONFIG],
    },
    {
      provide: DetectionsRepository,
      useFactory: (db: PrismaClient) => new DetectionsRepository(db),
      inject: [PRISMA],
    },
    { provide: EvidenceRepository, useValue: new EvidenceRepository() },
    StationAuthenticator,
    StationRateLimiter,
    SignedJsonGuard,
    SignedStreamGuard,
    EvidenceStore,
    ReceiveDetectionUseCase,
    UploadEvidenceUseCase,
    EvidenceCollectionUseCase,
  ],
  exports: [ReceiveDetectionUseCase, DetectionsRepository],
})
export class IntakeModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    // In the constructor, before any module's init hook: a plugin registered there (the queue dashboard)
    // makes Fastify build its route contexts, which then no longer see hooks added to the instance.
    const adapter = adapterHost.httpAdapter as (typeof adapterHost.httpAdapter & BodyParsers) | undefined;
    const fastify = adapter?.getInstance<FastifyInstance>();
    if (!adapter || !fastify) return;
    if (!adapter.useBodyParser)
      throw new Error('the station routes need an HTTP adapter that takes body parsers');
    const routes = new Set([DETECTIONS_ROUTE]);
    registerStationBodyParsers(fastify, routes);
    // The app's JSON parser reads the body stream itself (detectionJsonParser). Nest registers a JSON parser at init
    // unless one was registered through it — and those read the body into a fresh buffer first — so one is
    // registered through it, then replaced on Fastify by the stream parser.
    adapter.useBodyParser('application/json', false, { bodyLimit: fastify.initialConfig.bodyLimit }, () => {
      throw new Error('replaced by detectionJsonParser');
    });
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', detectionJsonParser(fastify, routes));
  }
}
