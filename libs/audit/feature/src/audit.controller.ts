import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiZodResponse,
  LongRunning,
  NoPersonalData,
  PersonalData,
  Roles,
  ZodQuery,
} from '@ecc/platform-nest';
import {
  auditEventPageSchema,
  auditVerificationSchema,
  listAuditEventsQuerySchema,
  type ListAuditEventsQuery,
} from './audit-events.schema';
import { ListAuditEventsUseCase } from './list-audit-events.use-case';
import { VerifyAuditChainUseCase } from './verify-audit-chain.use-case';

/** The tamper-evident audit trail, for auditors: the events, and a verification of their hash chain. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly listEvents: ListAuditEventsUseCase,
    private readonly verifyChain: VerifyAuditChainUseCase,
  ) {}

  @Get('events')
  @Roles('auditor', 'admin')
  // The payloads hold what changed, personal data included: an auditor's read is itself audited.
  @PersonalData('audit_event')
  @ApiOperation({
    summary: 'Audit events, newest first (by event id), with their place in the hash chain (cursor pages)',
    description:
      '`entity` is an entity type (`case`) or a type and id separated by the first colon (`case:<id>`); ' +
      '`entityId` filters by id alone; `actor` is a user or station id, or `system`; `from`/`to` bound ' +
      '`occurredAt` (from inclusive, to exclusive). Events are ordered by id, descending: the order of ' +
      'insertion. `chainSeq` is the order of the hash chain (assigned when the worker seals an event, ' +
      'shortly after its commit; null until then), which can differ slightly from the id order.',
  })
  @ApiZodResponse(200, auditEventPageSchema)
  events(@ZodQuery(listAuditEventsQuerySchema) query: ListAuditEventsQuery) {
    return this.listEvents.execute(query);
  }

  @Get('verify')
  @LongRunning()
  @Roles('auditor', 'admin')
  @NoPersonalData()
  @ApiOperation({
    summary: 'Verify the audit hash chain and its signed checkpoints in object storage',
    description:
      'Recomputes every sealed event in chain order (link, hash, digest of the payload) and checks every ' +
      'checkpoint object (Ed25519 signature, and the event at its seq still has the id and hash it signed). ' +
      '`firstBrokenEventId`: a changed event itself; for deleted events the event after the gap; for a ' +
      'consistent rewrite caught by a checkpoint, the first event after the last checkpoint that still ' +
      'matches. `unsealed` events (committed, not yet linked) are not covered.',
  })
  @ApiZodResponse(200, auditVerificationSchema)
  verify() {
    return this.verifyChain.execute();
  }
}
