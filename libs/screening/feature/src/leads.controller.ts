import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodResponse, Roles, ZodParam, ZodQuery, PersonalData } from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { GetLeadUseCase } from './get-lead.use-case';
import { ListLeadsUseCase } from './list-leads.use-case';
import { leadPageSchema, leadViewSchema, listLeadsQuerySchema, type ListLeadsQuery } from './leads.schema';

/** 线索: screened overloads awaiting an officer's review. Read-only here; review is the next step. */
@ApiTags('leads')
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly getLead: GetLeadUseCase,
    private readonly listLeads: ListLeadsUseCase,
  ) {}

  @Get()
  @PersonalData('lead')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'Leads, newest first, filtered by status, station, plate and violation time (cursor pages)',
  })
  @ApiZodResponse(200, leadPageSchema)
  list(@ZodQuery(listLeadsQuerySchema) query: ListLeadsQuery) {
    return this.listLeads.execute(query);
  }

  @Get(':id')
  @PersonalData('lead', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'One lead with its rules, proposed penalty, detections and evidence (presigned URLs)',
  })
  @ApiZodResponse(200, leadViewSchema)
  get(@ZodParam('id', z.string().uuid()) id: string) {
    return this.getLead.execute(id);
  }
}
