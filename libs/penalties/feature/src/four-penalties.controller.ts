import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  PersonalData,
  LongRunning,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  ChooseSourceUnitFineUseCase,
  sourceUnitFineSchema,
  type SourceUnitFineInput,
} from './choose-source-unit-fine.use-case';
import {
  EscalateEnterpriseUseCase,
  escalationSchema,
  type EscalationInput,
} from './escalate-enterprise.use-case';
import {
  answerableQuerySchema,
  FourPenaltiesQueries,
  type AnswerableQueryInput,
} from './four-penalties.queries';
import {
  IssuePenaltyBatchUseCase,
  penaltyBatchSchema,
  type PenaltyBatchInput,
} from './issue-penalty-batch.use-case';
import {
  PlanFourPenaltiesUseCase,
  planFourPenaltiesSchema,
  type PlanFourPenaltiesInput,
} from './plan-four-penalties.use-case';

const uuid = z.string().uuid();

/** 一超四罚 on a vehicle case and its linked sub-cases. */
@ApiTags('four-penalties')
@Controller('cases')
export class FourPenaltiesController {
  constructor(
    private readonly plan: PlanFourPenaltiesUseCase,
    private readonly queries: FourPenaltiesQueries,
    private readonly escalate: EscalateEnterpriseUseCase,
    private readonly sourceUnitFine: ChooseSourceUnitFineUseCase,
  ) {}

  @Post(':id/four-penalties/plan')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Evaluate the four parties of a vehicle case (一超四罚) and create or update their linked sub-cases; idempotent',
  })
  planCase(
    @ZodParam('id', uuid) id: string,
    @ZodBody(planFourPenaltiesSchema) body: PlanFourPenaltiesInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.plan.execute(id, body, ctx);
  }

  @Get(':id/four-penalties')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'The four outcomes of a vehicle case: counts, the cases counted, thresholds, sub-cases',
  })
  view(@ZodParam('id', uuid) id: string) {
    return this.queries.view(id);
  }

  @Post(':id/four-penalties/escalation')
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({
    summary: '情节严重: the approver escalates an enterprise sub-case to licence revocation, with reasons',
  })
  escalation(
    @ZodParam('id', uuid) id: string,
    @ZodBody(escalationSchema) body: EscalationInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.escalate.execute(id, body, ctx);
  }

  @Post(':id/four-penalties/source-unit-fine')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary: "自由裁量: the source unit's fine within its range, with reasons, before its notice",
  })
  chooseFine(
    @ZodParam('id', uuid) id: string,
    @ZodBody(sourceUnitFineSchema) body: SourceUnitFineInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.sourceUnitFine.execute(id, body, ctx);
  }
}

/** 同步处罚: the parties answerable for a batch of cases, and their documents issued together. */
@ApiTags('four-penalties')
@Controller('penalties')
export class PenaltiesController {
  constructor(
    private readonly queries: FourPenaltiesQueries,
    private readonly batch: IssuePenaltyBatchUseCase,
  ) {}

  @Get('answerable')
  @PersonalData('penalty')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'Every party answerable for the vehicle cases of a range, with its rule results and the cases to issue',
  })
  answerable(@ZodQuery(answerableQuerySchema) query: AnswerableQueryInput) {
    return this.queries.answerable(query);
  }

  @Post('batches')
  @LongRunning()
  @HttpCode(200)
  @Roles('officer', 'approver')
  @ApiOperation({
    summary:
      'Issue the pre-penalty notices or the decisions of several 一超四罚 cases together, in one transaction (all or none)',
  })
  issue(@ZodBody(penaltyBatchSchema) body: PenaltyBatchInput, @Ctx() ctx: CommandContext) {
    return this.batch.execute(body, ctx);
  }
}
