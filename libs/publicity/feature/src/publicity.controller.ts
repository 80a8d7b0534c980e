import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  NoPersonalData,
  PersonalData,
  Public,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { withdrawPublicationSchema, type WithdrawPublication } from '@ecc/publicity-domain';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { PublicDecisionsUseCase } from './public-decisions.use-case';
import {
  feedQuerySchema,
  feedSchema,
  publicationViewSchema,
  publicDecisionPageSchema,
  publicDecisionsQuerySchema,
  type FeedQuery,
  type PublicDecisionsQuery,
} from './publicity.schema';
import { WithdrawPublicationUseCase } from './withdraw-publication.use-case';
import { PublishHeldUseCase } from './publish-held.use-case';

/**
 * 行政处罚信息公示 (行政处罚法 Art. 48), public: no sign-in, read-only, rate-limited per client address. Only
 * redacted content is stored for publication, so nothing here can reach a person's data.
 */
@ApiTags('public')
@Controller('public/decisions')
@Public()
@NoPersonalData()
@UseGuards(PublicRateLimitGuard)
@ApiProblems({ 429: '`rate_limited`: too many requests from this address (Retry-After)' })
export class PublicDecisionsController {
  constructor(private readonly decisions: PublicDecisionsUseCase) {}

  @Get()
  @ApiOperation({
    summary:
      'The penalty decisions published now, newest first (cursor pages); withdrawn ones are not listed',
    description:
      'Persons are named by surname (张某), plates masked (湘A·1***5); organisations by name and unified social ' +
      'credit code. No identity number, phone number or address is published.',
  })
  @ApiZodResponse(200, publicDecisionPageSchema)
  list(@ZodQuery(publicDecisionsQuerySchema) query: PublicDecisionsQuery) {
    return this.decisions.list(query);
  }

  @Get('feed')
  @ApiOperation({
    summary:
      'The disclosure feed: every publication and withdrawal in commit order, after the `since` cursor',
    description:
      'For the government disclosure platform: pull with `since` = the `next` of the previous answer (0 at first); ' +
      'a withdrawal (Art. 48 ¶2) carries its public reason. An event, once in the feed, never changes.',
  })
  @ApiZodResponse(200, feedSchema)
  feed(@ZodQuery(feedQuerySchema) query: FeedQuery) {
    return this.decisions.feed(query);
  }
}

/** Staff: what became of a case's decision publication, and its withdrawal (Art. 48 ¶2). */
@ApiTags('publicity')
@Controller('cases')
export class PublicationsController {
  constructor(
    private readonly decisions: PublicDecisionsUseCase,
    private readonly withdrawUseCase: WithdrawPublicationUseCase,
    private readonly publishHeld: PublishHeldUseCase,
  ) {}

  @Get(':id/publication')
  @Roles(...STAFF_ROLES)
  @PersonalData('case', 'id')
  @ApiOperation({
    summary:
      'The publication of the case’s decision: published, not_published (the policy), held (a person’s data ' +
      'found in the content) or withdrawn, with the period and the policy rule that decided',
  })
  @ApiZodResponse(200, publicationViewSchema)
  get(@ZodParam('id', z.uuid()) id: string) {
    return this.decisions.ofCase(id);
  }

  @Post(':id/publication/withdrawal')
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({
    summary:
      'Withdraw the published decision (行政处罚法 Art. 48 ¶2: within 3 working days of its change or revocation); ' +
      'the reason and reference are published with the withdrawal',
  })
  @ApiZodResponse(200, publicationViewSchema)
  @ApiProblems({
    409: '`publication_not_published`, `publication_held` or `publication_already_withdrawn`',
  })
  withdraw(
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(withdrawPublicationSchema) body: WithdrawPublication,
    @Ctx() ctx: CommandContext,
  ) {
    return this.withdrawUseCase.execute(id, body, ctx);
  }

  @Post(':id/publication/publish-held')
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({
    summary:
      'Publish a held publication once the parties are corrected: the content is built again from the records and ' +
      'checked again (422 while a person’s data is still found)',
  })
  @ApiZodResponse(200, publicationViewSchema)
  @ApiProblems({
    409: '`publication_already_published`, `publication_not_published` or `publication_already_withdrawn`',
    422: '`personal_data_in_publication`',
  })
  publish(@ZodParam('id', z.uuid()) id: string, @Ctx() ctx: CommandContext) {
    return this.publishHeld.execute(id, ctx);
  }
}
