import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
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
  LongRunning,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { caseActionResultSchema } from '@ecc/cases-feature';
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

// What the routes answer, for the API document (the plan's nested facts are the penalties domain's).
const subCaseRefSchema = z.object({
  id: z.string().uuid(),
  type: z.string(),
  state: z.string(),
  caseNumber: z.string().nullable(),
});
const planFacts = {
  basis: z.array(z.record(z.string(), z.unknown())).describe('the provisions the outcome applies'),
  counts: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('what was counted, against which threshold, over which window'),
  escalation: z.record(z.string(), z.unknown()).nullable().describe('情节严重, when recorded'),
  amountRange: z.object({ minYuan: z.number(), maxYuan: z.number() }).nullable(),
};
const fourPenaltiesViewSchema = z.object({
  caseId: z.string().uuid(),
  plate: z.string().nullable(),
  violationDate: z.string().describe('YYYY-MM-DD'),
  state: z.string(),
  planned: z.boolean(),
  unidentifiedRoles: z.array(z.string()),
  counts: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('every count, also those that trigger nothing'),
  outcomes: z.array(
    z.object({
      role: z.enum(['vehicle', 'driver', 'enterprise', 'source_unit']),
      partyId: z.string(),
      partyName: z.string(),
      ruleCode: z.string(),
      outcome: z.string(),
      penaltyKind: z.string().nullable(),
      amountYuan: z.number().nullable(),
      amountReasons: z.string().nullable(),
      ...planFacts,
      evidenceCaseIds: z.array(z.string().uuid()),
      publicise: z.boolean(),
      notes: z.array(z.string()),
      carriedBy: z.enum([
        'vehicle_case',
        'sub_case',
        'record_only',
        'standing_order',
        'home_authority_report',
        'source_unit_referral',
        'awaiting_registration',
      ]),
      homeAuthorityReport: z
        .object({
          divisionCode: z.string(),
          measure: z.string(),
          countedCaseIds: z.array(z.string().uuid()),
          text: z.string().describe('抄告函: the report to the home authority (超限规定 Art. 46)'),
          issuedOn: z.string().describe('YYYY-MM-DD'),
          document: z
            .object({ id: z.string().uuid(), documentNumber: z.string(), version: z.number().int() })
            .optional()
            .describe(
              'the report as a document of the vehicle case (GET /cases/{id}/documents/{documentId}, ?format=pdf)',
            ),
        })
        .passthrough()
        .nullable()
        .describe(
          'a measure of a party registered outside the served divisions, reported instead of decided',
        ),
      sourceUnitReferral: z
        .object({
          divisionCode: z.string(),
          withinHunan: z.boolean(),
          measure: z.string(),
          text: z
            .string()
            .describe('抄告函: the referral to the authority where the unit loaded (行政处罚法 Art. 22)'),
          issuedOn: z.string().describe('YYYY-MM-DD'),
          document: z
            .object({ id: z.string().uuid(), documentNumber: z.string(), version: z.number().int() })
            .optional(),
        })
        .passthrough()
        .nullable()
        .describe('a source unit whose site lies outside the served divisions, referred instead of ordered'),
      awaitingRegistration: z
        .string()
        .nullable()
        .describe(
          'why the measure waits: where the party is registered, or where the source unit loaded, is not known',
        ),
      decisionReadiness: z
        .object({ ready: z.boolean(), waitsFor: z.array(z.string().uuid()) })
        .nullable()
        .describe(
          'a counted measure is decided only after the trips it counts (the decision is refused before)',
        ),
      subCase: subCaseRefSchema.nullable(),
      standingSubCaseId: z.string().uuid().nullable(),
      standingOrder: z
        .object({
          subCase: subCaseRefSchema,
          ruleCode: z.string().nullable(),
          penaltyKind: z.string().nullable(),
        })
        .nullable(),
      recordedTrips: z
        .array(
          z.object({
            caseId: z.string().uuid(),
            caseNumber: z.string().nullable(),
            violationDate: z.string().describe('YYYY-MM-DD'),
            plate: z.string().nullable(),
            station: z.string().nullable(),
            standing: z
              .enum(['after_service', 'before_service', 'order_not_served'])
              .describe(
                'after_service: loaded once the order was served, evidence of non-correction (湖南条例 Art. 30); else the same failure the order deals with',
              ),
          }),
        )
        .nullable()
        .describe("a source unit's order to correct: the other trips recorded on it"),
      computedAt: z.string().datetime(),
    }),
  ),
});
const subCaseChangeSchema = z.object({
  id: z.string().uuid().describe('the sub-case'),
  version: z.number().int(),
  ruleCode: z.string(),
});
const answerableSchema = z.object({
  query: z.record(z.string(), z.unknown()).describe('the query as understood'),
  caseIds: z.array(z.string().uuid()).describe('the planned vehicle cases of the range'),
  unplannedCaseIds: z.array(z.string().uuid()).describe('vehicle cases of the range not yet planned'),
  parties: z.array(
    z.object({
      partyId: z.string(),
      partyName: z.string(),
      roles: z.array(
        z
          .object({
            role: z.string(),
            plans: z.array(
              z
                .object({
                  ruleCode: z.string(),
                  penaltyKind: z.string().nullable(),
                  carriedBy: subCaseRefSchema.nullable(),
                  reportedTo: z
                    .string()
                    .nullable()
                    .describe(
                      'the division whose authority decides it (reported there, 抄告), when not this bureau',
                    ),
                  awaitingRegistration: z
                    .string()
                    .nullable()
                    .describe('why it waits: the registration is unknown'),
                })
                .catchall(z.unknown()),
            ),
            caseIdsToIssue: z
              .array(z.string().uuid())
              .describe('the cases to put in a batch for this party and role'),
          })
          .catchall(z.unknown()),
      ),
    }),
  ),
});

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
  @ApiZodResponse(200, fourPenaltiesViewSchema)
  @ApiProblems({
    409: '`case_not_plannable` (the case is past planning)',
    422: '`not_a_vehicle_case`, `owner_unknown`',
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
  @ApiZodResponse(200, fourPenaltiesViewSchema)
  @ApiProblems({ 422: '`not_a_vehicle_case` (the outcomes are shown on the vehicle case)' })
  view(@ZodParam('id', uuid) id: string) {
    return this.queries.view(id);
  }

  @Post(':id/four-penalties/escalation')
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({
    summary: '情节严重: the approver escalates an enterprise sub-case to licence revocation, with reasons',
  })
  @ApiZodResponse(
    200,
    subCaseChangeSchema.extend({
      penaltyKind: z.string(),
      escalation: z.record(z.string(), z.unknown()),
      publicise: z.literal(true),
    }),
  )
  @ApiProblems({
    409: '`already_escalated`, `penalty_already_notified`',
    422: '`serious_escalation_below_threshold`, `wrong_sub_case`',
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
  @ApiZodResponse(
    200,
    subCaseChangeSchema.extend({
      amountYuan: z.number(),
      amountRange: z.object({ minYuan: z.number(), maxYuan: z.number() }),
      reasons: z.string(),
    }),
  )
  @ApiProblems({
    409: '`penalty_already_notified`',
    422: '`source_unit_fine_out_of_range`, `wrong_sub_case`',
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
  @ApiZodResponse(200, answerableSchema)
  answerable(@ZodQuery(answerableQuerySchema) query: AnswerableQueryInput) {
    return this.queries.answerable(query);
  }

  @Post('batches')
  @LongRunning()
  @HttpCode(200)
  @Roles('officer', 'approver')
  @ApiOperation({
    summary:
      'Issue the pre-penalty notices (each recorded as served when and how it was) or the decisions of several 一超四罚 cases together, in one transaction (all or none)',
  })
  @ApiZodResponse(
    200,
    z.object({
      batchId: z.string().uuid(),
      action: z.enum(['issue_notices', 'issue_decisions']),
      caseAction: z.string(),
      count: z.number().int(),
      cases: z.array(caseActionResultSchema).describe('each case as its own action left it'),
    }),
  )
  @ApiProblems({
    400: "`validation_failed`: a notice's `service` missing, doubled, in the future, or before the facts it states (nothing was issued)",
    422: '`batch_refused`: `cases` lists every case that refused and why (nothing was issued)',
  })
  issue(@ZodBody(penaltyBatchSchema) body: PenaltyBatchInput, @Ctx() ctx: CommandContext) {
    return this.batch.execute(body, ctx);
  }
}
