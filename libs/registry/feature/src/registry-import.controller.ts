import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MAX_IMPORT_ROWS, ROW_SPECS, type RegistryKind } from '@ecc/registry-domain';
import { validationError } from '@ecc/shared-kernel';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  jsonSchemaOf,
  LongRunning,
  Roles,
  type CommandContext,
} from '@ecc/platform-nest';
import { ImportRegistryUseCase, type RegistryFile } from './import-registry.use-case';

const summarySchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

/** OpenAPI: the same rows as JSON `{rows}` or as CSV with a header row of the same field names. */
function ApiRegistryFile(kind: RegistryKind): MethodDecorator {
  const spec = ROW_SPECS[kind];
  const json = jsonSchemaOf(z.strictObject({ rows: z.array(spec.schema).min(1).max(MAX_IMPORT_ROWS) }));
  return (target, key, descriptor) => {
    ApiConsumes('application/json', 'text/csv')(target, key, descriptor);
    ApiBody({
      description:
        `JSON {rows: [...]}, or text/csv whose header row names the columns (${spec.columns.join(', ')}; ` +
        `required: ${spec.required.join(', ')}). At most ${MAX_IMPORT_ROWS} rows. Any bad row refuses the whole ` +
        'file, with every problem listed (CSV: "line N: field", the header being line 1; JSON: "rows.i.field").',
      schema: json,
    })(target, key, descriptor);
  };
}

/** JSON or CSV; Fastify also reads text/plain, which is refused here rather than guessed at. */
function fileOf(contentType: string | undefined, body: unknown): RegistryFile {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' && typeof body === 'string') return { format: 'csv', text: body };
  if (type === 'application/json') return { format: 'json', body };
  throw validationError('a registry file is sent as application/json or text/csv', [
    { path: 'headers.content-type', message: 'application/json or text/csv' },
  ]);
}

@ApiTags('registry')
@Controller('registry')
export class RegistryImportController {
  constructor(private readonly importRegistry: ImportRegistryUseCase) {}

  @Post('vehicles')
  @ApiProblems({ 409: '`registry_import_conflict`: a concurrent import wrote the same key' })
  @LongRunning()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Import vehicles (upsert on plate and plate colour) (admin)' })
  @ApiRegistryFile('vehicles')
  @ApiZodResponse(200, summarySchema)
  vehicles(@Body() body: unknown, @Headers('content-type') type: string, @Ctx() ctx: CommandContext) {
    return this.importRegistry.execute('vehicles', fileOf(type, body), ctx);
  }

  @Post('enterprises')
  @ApiProblems({ 409: '`registry_import_conflict`: a concurrent import wrote the same key' })
  @LongRunning()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Import road transport enterprises (upsert on licence number; fleet sizes kept as a history) (admin)',
  })
  @ApiRegistryFile('enterprises')
  @ApiZodResponse(200, summarySchema)
  enterprises(@Body() body: unknown, @Headers('content-type') type: string, @Ctx() ctx: CommandContext) {
    return this.importRegistry.execute('enterprises', fileOf(type, body), ctx);
  }

  @Post('drivers')
  @ApiProblems({ 409: '`registry_import_conflict`: a concurrent import wrote the same key' })
  @LongRunning()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Import drivers (upsert on ID number) (admin)' })
  @ApiRegistryFile('drivers')
  @ApiZodResponse(200, summarySchema)
  drivers(@Body() body: unknown, @Headers('content-type') type: string, @Ctx() ctx: CommandContext) {
    return this.importRegistry.execute('drivers', fileOf(type, body), ctx);
  }

  @Post('source-units')
  @ApiProblems({ 409: '`registry_import_conflict`: a concurrent import wrote the same key' })
  @LongRunning()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Import cargo source units (upsert on unified social credit code) (admin)' })
  @ApiRegistryFile('source-units')
  @ApiZodResponse(200, summarySchema)
  sourceUnits(@Body() body: unknown, @Headers('content-type') type: string, @Ctx() ctx: CommandContext) {
    return this.importRegistry.execute('source-units', fileOf(type, body), ctx);
  }
}
