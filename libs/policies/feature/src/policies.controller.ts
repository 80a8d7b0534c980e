import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PoliciesRepository } from '@ecc/legal-data';
import {
  APP_CONFIG,
  ApiZodResponse,
  Ctx,
  jsonSchemaOf,
  NoPersonalData,
  Roles,
  ZodParam,
  ZodQuery,
  type CommandContext,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  policyKeySchema,
  policyPreviewSchema,
  policyViewSchema,
  setPolicyQuerySchema,
} from './policies.schema';
import { holidayNoticeSchema } from '@ecc/legal-domain';
import {
  POLICIES,
  POLICY_KEYS,
  policyRegistry,
  type PolicyKey,
  type PolicyRegistry,
} from './policy-registry';
import type { AppConfig } from '@ecc/shared-config';
import { SetPolicyUseCase } from './set-policy.use-case';

/** The local policies (where the law leaves the bureau a choice), each with its default and its versions. */
@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  private readonly registry: PolicyRegistry;

  constructor(
    private readonly policies: PoliciesRepository,
    private readonly setPolicy: SetPolicyUseCase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.registry = policyRegistry(config);
  }

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
    summary:
      'Replace a policy from now on (admin); the body is validated by the schema of that key. ' +
      '`working_calendar` also takes the State Council holiday notice `{notice: {year, text | festivals}}`, ' +
      'merged into the calendar in force; `?dryRun=true` answers what would be stored and changed, writing nothing',
  })
  @ApiBody({
    schema: {
      oneOf: [
        ...POLICY_KEYS.map((k) => jsonSchemaOf(POLICIES[k].schema)),
        jsonSchemaOf(z.strictObject({ notice: holidayNoticeSchema })),
      ],
    },
  })
  @ApiZodResponse(200, z.union([policyViewSchema, policyPreviewSchema]), 'set, or with dryRun the preview')
  set(
    @ZodParam('key', policyKeySchema) key: PolicyKey,
    @ZodQuery(setPolicyQuerySchema) query: z.infer<typeof setPolicyQuerySchema>,
    @Body() body: unknown,
    @Ctx() ctx: CommandContext,
  ) {
    return this.setPolicy.execute(key, body, ctx, { dryRun: query.dryRun === 'true' });
  }

  private async view(key: PolicyKey) {
    const current = await this.policies.current(key);
    return current
      ? { key, value: current.value, source: 'set' as const, validFrom: current.validFrom.toISOString() }
      : { key, value: this.registry[key].default, source: 'default' as const, validFrom: null };
  }
}
