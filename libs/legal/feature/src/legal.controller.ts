import { Body, Controller, Get, Patch, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '@ecc/shared-kernel';
import type { LegalArticle } from '@ecc/legal-domain';
import { LegalBasisRepository, PoliciesRepository } from '@ecc/legal-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  jsonSchemaOf,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  NoPersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { AddLegalBasisUseCase, EndLegalBasisUseCase } from './legal-basis.use-cases';
import {
  createLegalBasisSchema,
  endLegalBasisSchema,
  legalBasisQuerySchema,
  legalBasisViewSchema,
  policyKeySchema,
  policyViewSchema,
} from './legal.schema';
import { POLICIES, POLICY_KEYS, type PolicyKey } from './policy-registry';
import { SetPolicyUseCase } from './set-policy.use-case';

@ApiTags('legal basis')
@Controller('legal-bases')
export class LegalBasisController {
  constructor(
    private readonly catalogue: LegalBasisRepository,
    private readonly add: AddLegalBasisUseCase,
    private readonly end: EndLegalBasisUseCase,
  ) {}

  @Get()
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The legal-basis catalogue, optionally one code or what was in force on a date' })
  @ApiZodResponse(200, z.object({ items: z.array(legalBasisViewSchema) }))
  async list(@ZodQuery(legalBasisQuerySchema) query: z.infer<typeof legalBasisQuerySchema>) {
    return { items: await this.catalogue.list(query) };
  }

  @Get(':id')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiZodResponse(200, legalBasisViewSchema)
  async get(@ZodParam('id', z.string().uuid()) id: string) {
    const found = await this.catalogue.findById(id);
    if (!found) throw notFound('legal_basis', id);
    return found;
  }

  @Post()
  @ApiProblems({ 409: '`legal_basis_exists`: that code and version are in the catalogue' })
  @Roles('admin')
  @ApiOperation({ summary: 'Add a provision or a new version of one (admin)' })
  @ApiZodResponse(201, legalBasisViewSchema)
  create(@ZodBody(createLegalBasisSchema) body: LegalArticle, @Ctx() ctx: CommandContext) {
    return this.add.execute(body, ctx);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the last day a version is in force (admin)' })
  @ApiZodResponse(200, legalBasisViewSchema)
  setValidity(
    @ZodParam('id', z.string().uuid()) id: string,
    @ZodBody(endLegalBasisSchema) body: z.infer<typeof endLegalBasisSchema>,
    @Ctx() ctx: CommandContext,
  ) {
    return this.end.execute(id, body.validTo, ctx);
  }
}

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesRepository,
    private readonly setPolicy: SetPolicyUseCase,
  ) {}

  @Get()
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Every policy in force now, or its default' })
  @ApiZodResponse(200, z.object({ items: z.array(policyViewSchema) }))
  async list() {
    return { items: await Promise.all(POLICY_KEYS.map((key) => this.view(key))) };
  }

  @Get(':key')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiZodResponse(200, policyViewSchema)
  get(@ZodParam('key', policyKeySchema) key: PolicyKey) {
    return this.view(key);
  }

  @Get(':key/versions')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Every version of a policy with its validity' })
  @ApiZodResponse(
    200,
    z.object({
      items: z.array(
        z.object({
          id: z.string().uuid(),
          key: z.string(),
          value: z.unknown(),
          validFrom: z.string().datetime(),
          validTo: z.string().datetime().nullable(),
          createdAt: z.string().datetime(),
        }),
      ),
    }),
    'newest first',
  )
  async versions(@ZodParam('key', policyKeySchema) key: PolicyKey) {
    return { items: await this.policies.versions(key) };
  }

  @Put(':key')
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace a policy from now on (admin); the body is validated by the schema of that key',
  })
  @ApiBody({
    schema: { oneOf: POLICY_KEYS.map((k) => jsonSchemaOf(POLICIES[k].schema)) },
  })
  @ApiZodResponse(200, policyViewSchema)
  set(@ZodParam('key', policyKeySchema) key: PolicyKey, @Body() body: unknown, @Ctx() ctx: CommandContext) {
    return this.setPolicy.execute(key, body, ctx);
  }

  private async view(key: PolicyKey) {
    const current = await this.policies.current(key);
    return current
      ? { key, value: current.value, source: 'set' as const, validFrom: current.validFrom.toISOString() }
      : { key, value: POLICIES[key].default, source: 'default' as const, validFrom: null };
  }
}
