import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PoliciesRepository } from '@ecc/legal-data';
import {
  ApiZodResponse,
  Ctx,
  jsonSchemaOf,
  NoPersonalData,
  Roles,
  ZodParam,
  type CommandContext,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { policyKeySchema, policyViewSchema } from './policies.schema';
import { POLICIES, POLICY_KEYS, type PolicyKey } from './policy-registry';
import { SetPolicyUseCase } from './set-policy.use-case';

/** The local policies (where the law leaves the bureau a choice), each with its default and its versions. */
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
