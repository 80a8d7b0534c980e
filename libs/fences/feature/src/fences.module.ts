import { Global, Module, type Provider } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { CasesModule, CasesWorkerModule } from '@ecc/cases-feature';
import { ACCEPTED_DETECTION_LISTENER } from '@ecc/intake-feature';
import { FencesRepository, InterceptionAlertsRepository, LeadResponsesRepository } from '@ecc/fences-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { AlertStream } from './alert-stream';
import { FenceBus } from './fence-bus';
import { FenceOnResponseWindowEnd } from './fence-on-response-window.handler';
import { FencedPlates } from './fenced-plates';
import { FencesController, InterceptionAlertsController, LeadResponsesController } from './fences.controller';
import { HandleAlertUseCase } from './handle-alert.use-case';
import { InterceptionCheck } from './interception-check';
import { InterceptionSweep } from './interception-sweep';
import { LiftFenceUseCase } from './lift-fence.use-case';
import { LiftFencesOnFiling } from './lift-fences-on-filing';
import { RecordLeadResponseUseCase } from './record-lead-response.use-case';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/**
 * The API side of the electronic fence: the watch list, the interception check intake calls after each
 * accepted detection (intake's ACCEPTED_DETECTION_LISTENER; global, so intake needs no import of this
 * module), alerts and their SSE stream, fences (lifted when a case's filing is approved), and the party's
 * response.
 */
@Global()
@Module({
  imports: [CasesModule],
  controllers: [InterceptionAlertsController, FencesController, LeadResponsesController],
  providers: [
    repository(FencesRepository),
    repository(InterceptionAlertsRepository),
    repository(LeadResponsesRepository),
    FenceBus,
    FencedPlates,
    InterceptionCheck,
    { provide: ACCEPTED_DETECTION_LISTENER, useExisting: InterceptionCheck },
    AlertStream,
    HandleAlertUseCase,
    LiftFenceUseCase,
    RecordLeadResponseUseCase,
    LiftFencesOnFiling,
  ],
  exports: [InterceptionCheck, ACCEPTED_DETECTION_LISTENER],
})
export class FencesModule {}

/**
 * The worker side: fencing when a lead's response window ends (a handler of the cases' deadline registry),
 * and the sweep raising interception alerts an API missed.
 */
@Module({
  imports: [CasesWorkerModule],
  providers: [
    repository(StaffAlertsRepository),
    repository(InterceptionAlertsRepository),
    FenceBus,
    FenceOnResponseWindowEnd,
    InterceptionSweep,
  ],
})
export class FencesWorkerModule {}
