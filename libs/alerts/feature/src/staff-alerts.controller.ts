import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiZodResponse,
  Ctx,
  NoPersonalData,
  Roles,
  ZodParam,
  ZodQuery,
  type CommandContext,
} from '@ecc/platform-nest';
import {
  listAlertsQuerySchema,
  staffAlertListSchema,
  staffAlertSchema,
  StaffAlertsUseCase,
} from './staff-alerts.use-case';

/** The signed-in user's alerts: deadlines, notices that failed for good, the system's own checks. */
@ApiTags('alerts')
@Controller('me/alerts')
export class StaffAlertsController {
  constructor(private readonly alerts: StaffAlertsUseCase) {}

  @Get()
  @NoPersonalData()
  @ApiOperation({ summary: 'My alerts (deadlines approaching or missed, failed notices), newest first' })
  @ApiZodResponse(200, staffAlertListSchema)
  list(
    @ZodQuery(listAlertsQuerySchema) query: z.infer<typeof listAlertsQuerySchema>,
    @Ctx() ctx: CommandContext,
  ) {
    return this.alerts.list(ctx.actor.id, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles('officer', 'legal_reviewer', 'approver', 'admin')
  @ApiOperation({ summary: 'Mark one of my alerts read' })
  @ApiZodResponse(200, staffAlertSchema)
  read(@ZodParam('id', z.string().uuid()) id: string, @Ctx() ctx: CommandContext) {
    return this.alerts.markRead(id, ctx);
  }
}
