import { Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CaseActionType } from '@ecc/cases-domain';
import {
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  PersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  CaseQueries,
  listCasesQuerySchema,
  pageQuerySchema,
  type ListCasesQuery,
} from './case-queries.use-case';
import {
  CompleteLeadOwnerUseCase,
  completeLeadOwnerSchema,
  type CompleteLeadOwnerInput,
} from './complete-lead-owner.use-case';
import { FileCaseUseCase, fileCaseSchema, type FileCaseInput } from './file-case.use-case';
import {
  caseActionBodySchema,
  caseActionTypeSchema,
  PerformCaseActionUseCase,
} from './perform-case-action.use-case';
import { ReviewLeadUseCase, reviewLeadSchema, type ReviewLeadInput } from './review-lead.use-case';

const uuid = z.string().uuid();

/** 线索审核 and 补全车主: the officer's steps on a lead before it can become a case. */
@ApiTags('leads')
@Controller('leads')
export class LeadReviewController {
  constructor(
    private readonly review: ReviewLeadUseCase,
    private readonly completeOwner: CompleteLeadOwnerUseCase,
    private readonly queries: CaseQueries,
  ) {}

  @Get('owner-unknown')
  @PersonalData('lead')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: '车主信息不明: confirmed leads waiting for an officer to complete the owner' })
  ownerUnknown(@ZodQuery(pageQuerySchema) query: z.infer<typeof pageQuerySchema>) {
    return this.queries.ownerUnknownLeads(query);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary: 'Review a lead: confirm (plate and axle count match the images) or reject with a reason',
  })
  reviewLead(
    @ZodParam('id', uuid) id: string,
    @ZodBody(reviewLeadSchema) body: ReviewLeadInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.review.execute(id, body, ctx);
  }

  @Post(':id/owner')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary: 'Complete the owner of a confirmed lead (registry vehicle and party), then notify',
  })
  owner(
    @ZodParam('id', uuid) id: string,
    @ZodBody(completeLeadOwnerSchema) body: CompleteLeadOwnerInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.completeOwner.execute(id, body, ctx);
  }
}

/** 案件: filing from a confirmed lead, the state machine's actions, and the case file. */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly fileCase: FileCaseUseCase,
    private readonly perform: PerformCaseActionUseCase,
    private readonly queries: CaseQueries,
  ) {}

  @Post()
  @Roles('officer')
  @ApiOperation({
    summary: 'A case draft from a confirmed lead, with at least two certified officers (Art. 42)',
  })
  create(@ZodBody(fileCaseSchema) body: FileCaseInput, @Ctx() ctx: CommandContext) {
    return this.fileCase.execute(body, ctx);
  }

  @Get()
  @PersonalData('case')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Cases newest first, by state, type, lead or officer (cursor pages)' })
  list(@ZodQuery(listCasesQuerySchema) query: ListCasesQuery) {
    return this.queries.list(query);
  }

  @Get(':id')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'A case: state, parties, officers, the actions the caller may take, running deadlines, documents, flags',
  })
  get(@ZodParam('id', uuid) id: string, @Ctx() ctx: CommandContext) {
    return this.queries.get(id, ctx.actor);
  }

  @Get(':id/timeline')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Every step, actor, document version and notice of the case, in order' })
  timeline(@ZodParam('id', uuid) id: string) {
    return this.queries.timeline(id);
  }

  @Get(':id/documents/:documentId')
  @PersonalData('case_document', 'documentId')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'A document with all its versions; ?format=html or text renders the latest version',
  })
  async document(
    @ZodParam('id', uuid) id: string,
    @ZodParam('documentId', uuid) documentId: string,
    @ZodQuery(z.strictObject({ format: z.enum(['json', 'html', 'text']).default('json') }))
    query: { format: 'json' | 'html' | 'text' },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const doc = await this.queries.document(id, documentId);
    if (query.format === 'json') return doc;
    const latest = doc.versions[doc.versions.length - 1]!;
    reply.header(
      'content-type',
      query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    );
    return query.format === 'html' ? latest.html : latest.text;
  }

  @Post(':id/actions/:action')
  @HttpCode(200)
  @Roles('officer', 'legal_reviewer', 'approver')
  @ApiOperation({
    summary: 'One action of the case state machine (body: its fields; optional expectedVersion or If-Match)',
  })
  act(
    @ZodParam('id', uuid) id: string,
    @ZodParam('action', caseActionTypeSchema) action: CaseActionType,
    @ZodBody(caseActionBodySchema) body: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CommandContext,
  ) {
    return this.perform.execute(id, action, body, ctx, ifMatch);
  }
}
