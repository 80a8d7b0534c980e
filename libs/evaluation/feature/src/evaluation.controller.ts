import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  type CommandContext,
  PersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { CaseFileEvaluator } from './case-file-evaluator';
import {
  SampleEvaluationsUseCase,
  sampleEvaluationsSchema,
  type SampleEvaluationsInput,
} from './sample-evaluations.use-case';

// What the routes answer, for the API document.
const axis = z.enum(['completeness', 'consistency', 'legal_basis']);
const findingSchema = z.object({
  axis,
  code: z.string().describe('the evaluation rule'),
  message: z.string(),
  messageEn: z.string(),
  deduction: z.number(),
  documentRef: z.string().nullable().describe('the first document at fault; null: the case itself'),
  details: z.array(z.string()),
});
const evaluationSchema = z.object({
  caseId: z.string().uuid(),
  caseNumber: z.string().nullable(),
  state: z.string(),
  score: z.number(),
  grade: z.string(),
  threshold: z.number().describe('the closing threshold (policy)'),
  meetsThreshold: z.boolean(),
  findings: z.array(findingSchema),
  remedies: z
    .array(
      z.object({
        kind: z.enum(['reconsideration', 'lawsuit']),
        body: z.string().nullable(),
        filedOn: z.string(),
        concludedOn: z.string().nullable(),
        outcome: z.enum(['upheld', 'changed', 'annulled', 'dismissed', 'withdrawn']).nullable(),
      }),
    )
    .describe('行政复议、行政诉讼 against the decision, as the file was evaluated with them'),
});
const spotCheckSchema = z.object({
  id: z.string().uuid().describe('the evaluation run'),
  from: z.string().datetime(),
  to: z.string().datetime(),
  requested: z.number().int(),
  drawn: z.number().int(),
  averageScore: z.number().nullable(),
  byAxis: z.record(axis, z.object({ findings: z.number().int(), deducted: z.number() })),
  cases: z.array(
    z.object({
      caseId: z.string().uuid(),
      caseNumber: z.string().nullable(),
      score: z.number(),
      grade: z.string(),
      findingsByAxis: z.record(axis, z.array(findingSchema)),
    }),
  ),
});

/** 案卷评查: a case file's score at any stage, and the auditors' random spot checks of closed cases. */
@ApiTags('evaluation')
@Controller()
export class EvaluationController {
  constructor(
    private readonly evaluator: CaseFileEvaluator,
    private readonly sample: SampleEvaluationsUseCase,
  ) {}

  @Get('cases/:id/evaluation')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'The case file scored now: score, grade, threshold, findings by axis with the document at fault',
  })
  @ApiZodResponse(200, evaluationSchema)
  evaluate(@ZodParam('id', z.string().uuid()) id: string) {
    return this.evaluator.evaluate(id);
  }

  @Post('evaluations')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'Spot check (抽查): score a random sample of the cases closed in [from, to); reads case data only, records the run',
  })
  @ApiZodResponse(200, spotCheckSchema)
  spotCheck(@ZodBody(sampleEvaluationsSchema) body: SampleEvaluationsInput, @Ctx() ctx: CommandContext) {
    return this.sample.execute(body, ctx);
  }
}
