import { Controller, Get, Headers, HttpCode, Inject, Optional, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CaseActionType } from '@ecc/cases-domain';
import {
  ApiPathVariants,
  ApiProblems,
  ApiZodResponse,
  Ctx,
  jsonSchemaOf,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  PersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { DomainError } from '@ecc/shared-kernel';
import { CASE_DOCUMENT_PRINTER, type CaseDocumentPrinter } from './case-document-printer.port';
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
  caseActionResultSchema,
  caseActionTypeSchema,
  PerformCaseActionUseCase,
} from './perform-case-action.use-case';
import { CASE_ACTION_OPERATIONS } from './actions/case-action-operations';
import { ReviewLeadUseCase, reviewLeadSchema, type ReviewLeadInput } from './review-lead.use-case';
import {
  caseDocumentSchema,
  caseDraftSchema,
  casePageSchema,
  caseTimelineSchema,
  caseViewSchema,
  leadReviewResultSchema,
  ownerUnknownPageSchema,
} from './case-views.schema';

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
  @ApiZodResponse(200, ownerUnknownPageSchema)
  ownerUnknown(@ZodQuery(pageQuerySchema) query: z.infer<typeof pageQuerySchema>) {
    return this.queries.ownerUnknownLeads(query);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary: 'Review a lead: confirm (plate and axle count match the images) or reject with a reason',
  })
  @ApiZodResponse(200, leadReviewResultSchema)
  @ApiProblems({
    409: '`lead_already_reviewed`',
    422: '`review_checks_failed` (plate or axle count not confirmed), `working_calendar_not_covered`',
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
  @ApiZodResponse(200, leadReviewResultSchema)
  @ApiProblems({ 409: '`owner_already_known`', 422: '`lead_not_confirmed`' })
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
    @Optional() @Inject(CASE_DOCUMENT_PRINTER) private readonly printer?: CaseDocumentPrinter,
  ) {}

  @Post()
  @Roles('officer')
  @ApiOperation({
    summary: 'A case draft from a confirmed lead, with at least two certified officers (Art. 42)',
  })
  @ApiZodResponse(201, caseDraftSchema)
  @ApiProblems({
    409: '`lead_already_filed`',
    422: '`fewer_than_two_officers`, `not_an_officer`, `lead_not_reviewed`, `lead_rejected`, `owner_unknown`',
  })
  create(@ZodBody(fileCaseSchema) body: FileCaseInput, @Ctx() ctx: CommandContext) {
    return this.fileCase.execute(body, ctx);
  }

  @Get()
  @PersonalData('case')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Cases newest first, by state, type, lead or officer (cursor pages)' })
  @ApiZodResponse(200, casePageSchema)
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
  @ApiZodResponse(200, caseViewSchema)
  get(@ZodParam('id', uuid) id: string, @Ctx() ctx: CommandContext) {
    return this.queries.get(id, ctx.actor);
  }

  @Get(':id/timeline')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Every step, actor, document version and notice of the case, in order' })
  @ApiZodResponse(200, caseTimelineSchema)
  timeline(@ZodParam('id', uuid) id: string) {
    return this.queries.timeline(id);
  }

  @Get(':id/documents/:documentId')
  @PersonalData('case_document', 'documentId')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'A document with all its versions; ?format=html, text or pdf renders the latest version, or ?version=N',
  })
  @ApiResponse({
    status: 200,
    description:
      'format=json (default): the document and its versions; html, text or pdf (A4, printed as the forms are, ' +
      'with its verification code): the latest version or the one named by ?version',
    content: {
      'application/json': { schema: jsonSchemaOf(caseDocumentSchema, 'output') },
      'text/html': { schema: { type: 'string' } },
      'text/plain': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems({
    404: '`case_not_found`, `case_document_not_found`, `document_version_not_found`',
    422: '`document_characters_unsupported` (a character the embedded font cannot print), `document_not_printable`',
    503: '`pdf_unavailable`: this process has no printer of PDF documents',
  })
  async document(
    @ZodParam('id', uuid) id: string,
    @ZodParam('documentId', uuid) documentId: string,
    @ZodQuery(
      z.strictObject({
        format: z.enum(['json', 'html', 'text', 'pdf']).default('json'),
        version: z.coerce.number().int().min(1).optional(),
      }),
    )
    query: { format: 'json' | 'html' | 'text' | 'pdf'; version?: number },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const doc = await this.queries.document(id, documentId);
    if (query.format === 'json') return doc;
    const chosen =
      query.version === undefined
        ? doc.versions.at(-1)
        : doc.versions.find((v) => v.version === query.version);
    if (!chosen)
      throw new DomainError(
        'not_found',
        'document_version_not_found',
        `document ${documentId} has no version ${query.version}`,
      );
    if (query.format === 'pdf') return this.pdf(reply, id, documentId, chosen.version);
    reply.header(
      'content-type',
      query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    );
    return query.format === 'html' ? chosen.html : chosen.text;
  }

  private async pdf(reply: FastifyReply, caseId: string, documentId: string, version: number) {
    if (!this.printer)
      throw new DomainError('unavailable', 'pdf_unavailable', 'this process prints no PDF documents');
    const { pdf, fileName } = await this.printer.pdf(caseId, documentId, version);
    reply.header('content-type', 'application/pdf');
    reply.header(
      'content-disposition',
      `inline; filename="document-${documentId}-v${version}.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
    return pdf;
  }

  @Post(':id/actions/:action')
  @HttpCode(200)
  @Roles('officer', 'legal_reviewer', 'approver')
  @ApiOperation({
    summary: 'One action of the case state machine (body: its fields; optional expectedVersion or If-Match)',
  })
  @ApiPathVariants('action', CASE_ACTION_OPERATIONS)
  @ApiZodResponse(200, caseActionResultSchema, 'the case after the action, with what it started and wrote')
  @ApiProblems({
    409: '`invalid_transition` (not from this state), `case_archived`, `case_modified` (a stale version), `already_recorded`',
    422: 'a rule of the action is not met: `code` names it and its article (e.g. `fewer_than_two_officers`)',
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
