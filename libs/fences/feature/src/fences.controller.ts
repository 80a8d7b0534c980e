import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  liftFenceSchema,
  listAlertsQuerySchema,
  listFencesQuerySchema,
  recordResponseSchema,
  resolveAlertSchema,
  type LiftFenceInput,
  type ListAlertsQuery,
  type ListFencesQuery,
  type RecordResponseInput,
  type ResolveAlertInput,
} from '@ecc/fences-domain';
import { FencesRepository, InterceptionAlertsRepository } from '@ecc/fences-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  PersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { AlertStream } from './alert-stream';
import { HandleAlertUseCase } from './handle-alert.use-case';
import { LiftFenceUseCase } from './lift-fence.use-case';
import { RecordLeadResponseUseCase } from './record-lead-response.use-case';

const uuid = z.string().uuid();

// What the routes answer, for the API document.
const alertViewSchema = z.object({
  id: z.string().uuid(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  raisedAt: z.string().datetime(),
  plate: z.string(),
  plateColour: z.string().nullable(),
  station: z.object({ id: z.string().uuid(), code: z.string(), name: z.string() }),
  detectionId: z.string().uuid(),
  detectedAt: z.string().datetime(),
  fenceId: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  caseId: z.string().uuid().nullable(),
  acknowledgedById: z.string().uuid().nullable(),
  acknowledgedAt: z.string().datetime().nullable(),
  resolvedAt: z.string().datetime().nullable(),
  resolution: z.string().nullable(),
});
const fenceViewSchema = z.object({
  id: z.string().uuid(),
  plate: z.string(),
  plateColour: z.string().nullable(),
  vehicleId: z.string().uuid().nullable(),
  leadId: z.string().uuid().nullable(),
  caseId: z.string().uuid().nullable(),
  status: z.enum(['active', 'lifted']),
  reason: z.string(),
  createdAt: z.string().datetime(),
  liftedAt: z.string().datetime().nullable(),
  liftReason: z.string().nullable(),
});
const leadResponseSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid(),
  respondedAt: z.string().datetime(),
  channel: z.string(),
  note: z.string().nullable(),
  responseWindowStopped: z.boolean(),
  liftedFenceIds: z.array(z.string().uuid()),
});

/** 拦截预警: the duty team's alerts and their live stream. */
@ApiTags('fences')
@Controller('alerts')
export class InterceptionAlertsController {
  constructor(
    private readonly alerts: InterceptionAlertsRepository,
    private readonly handle: HandleAlertUseCase,
    private readonly stream: AlertStream,
  ) {}

  @Get()
  @PersonalData('interception_alert')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'Interception alerts, newest first; `status` open, acknowledged or resolved; `leadId`, `caseId`',
  })
  @ApiZodResponse(200, z.object({ items: z.array(alertViewSchema) }))
  async list(@ZodQuery(listAlertsQuerySchema) query: ListAlertsQuery) {
    return { items: await this.alerts.list(query) };
  }

  @Get('stream')
  @PersonalData('interception_alert')
  @Roles(...STAFF_ROLES)
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: '`event: interception` frames, each `data` one alert as JSON; heartbeat comments',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiOperation({
    summary: 'Live interception alerts (server-sent events: `event: interception`, heartbeat comments)',
  })
  live(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    // The stream outlives the handler: Fastify must not answer it, the raw response is ours.
    reply.hijack();
    this.stream.attach(reply.raw);
    request.raw.on('close', () => reply.raw.end());
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Acknowledge an open interception alert (已接警)' })
  @ApiZodResponse(200, alertViewSchema)
  @ApiProblems({ 409: '`alert_not_open`' })
  acknowledge(@ZodParam('id', uuid) id: string, @Ctx() ctx: CommandContext) {
    return this.handle.acknowledge(id, ctx);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Resolve an interception alert with what was done' })
  @ApiZodResponse(200, alertViewSchema)
  @ApiProblems({ 409: '`alert_resolved`' })
  resolve(
    @ZodParam('id', uuid) id: string,
    @ZodBody(resolveAlertSchema) body: ResolveAlertInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.handle.resolve(id, body.resolution, ctx);
  }
}

/** 电子围栏: the watch list and its history. */
@ApiTags('fences')
@Controller('fences')
export class FencesController {
  constructor(
    private readonly fences: FencesRepository,
    private readonly liftFence: LiftFenceUseCase,
  ) {}

  @Get()
  @PersonalData('fence')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'Fences, newest first; `status` active or lifted, `plate`, `leadId`, `caseId` (history of a case)',
  })
  @ApiZodResponse(200, z.object({ items: z.array(fenceViewSchema) }))
  async list(@ZodQuery(listFencesQuerySchema) query: ListFencesQuery) {
    return { items: await this.fences.list(query) };
  }

  @Post(':id/lift')
  @HttpCode(200)
  @Roles('officer', 'approver')
  @ApiOperation({ summary: 'Lift an active fence with the reason (撤销布控)' })
  @ApiZodResponse(200, fenceViewSchema)
  @ApiProblems({ 409: '`fence_not_active`' })
  lift(
    @ZodParam('id', uuid) id: string,
    @ZodBody(liftFenceSchema) body: LiftFenceInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.liftFence.execute(id, body, ctx);
  }
}

/** 当事人到案: the response that stops a lead's response window. */
@ApiTags('leads')
@Controller('leads')
export class LeadResponsesController {
  constructor(private readonly record: RecordLeadResponseUseCase) {}

  @Post(':id/responses')
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({ summary: 'Record that the party came forward: stops the response window (no fence)' })
  @ApiZodResponse(201, leadResponseSchema)
  @ApiProblems({ 409: '`lead_already_responded`, `lead_not_awaiting_response`' })
  respond(
    @ZodParam('id', uuid) id: string,
    @ZodBody(recordResponseSchema) body: RecordResponseInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.record.execute(id, body, ctx);
  }
}
