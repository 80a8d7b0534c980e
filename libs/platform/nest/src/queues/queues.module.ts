import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobDispatcher } from './job-dispatcher';
import { QueueProducer } from './queue-producer';

/** Producing jobs (API and worker). */
@Global()
@Module({ providers: [QueueProducer], exports: [QueueProducer] })
export class QueueProducerModule {}

/** Consuming jobs (worker only): handlers are discovered from `@JobHandler` methods. */
@Module({ imports: [DiscoveryModule], providers: [JobDispatcher] })
export class JobDispatcherModule {}
