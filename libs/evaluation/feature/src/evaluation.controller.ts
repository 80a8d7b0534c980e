import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Ctx, Roles, ZodBody, ZodParam, type CommandContext, PersonalData } from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { CaseFileEvaluator } from './case-file-evaluator';
import {
  SampleEvaluationsUseCase,
  sampleEvaluationsSchema,
  type SampleEvaluationsInput,
} from './sample-evaluations.use-case';

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
  spotCheck(@ZodBody(sampleEvaluationsSchema) body: SampleEvaluationsInput, @Ctx() ctx: CommandContext) {
    return this.sample.execute(body, ctx);
  }
}
