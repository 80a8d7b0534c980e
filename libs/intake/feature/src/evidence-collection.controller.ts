import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodResponse, Ctx, Roles, ZodBody, ZodParam, type CommandContext } from '@ecc/platform-nest';
import {
  EvidenceCollectionUseCase,
  reopeningSchema,
  reopenSchema,
  type ReopenInput,
} from './reopen-evidence-collection.use-case';

/** Evidence collection of a filed lead: reopened by an officer for a while, or closed again. */
@ApiTags('detections')
@Controller('leads/:leadId/evidence-collection')
export class EvidenceCollectionController {
  constructor(private readonly collection: EvidenceCollectionUseCase) {}

  @Post()
  @Roles('officer')
  @ApiOperation({
    summary: 'Reopen evidence collection of a filed lead for some hours: stations may add evidence again',
  })
  @ApiZodResponse(201, reopeningSchema)
  reopen(
    @ZodParam('leadId', z.string().uuid()) leadId: string,
    @ZodBody(reopenSchema) body: ReopenInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.collection.reopen(leadId, body, ctx);
  }

  @Post('close')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Close a reopened evidence collection before its time' })
  @ApiZodResponse(200, z.object({ closed: z.number().int() }))
  close(@ZodParam('leadId', z.string().uuid()) leadId: string, @Ctx() ctx: CommandContext) {
    return this.collection.close(leadId, ctx);
  }
}
