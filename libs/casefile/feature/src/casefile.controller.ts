import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiZodResponse, LongRunning, PersonalData, Roles, ZodParam } from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { CaseFileExportUseCase } from './case-file-export.use-case';
import { caseTraceSchema, CaseTraceUseCase } from './case-trace.use-case';
import { EvidenceIntegrityService } from './evidence-integrity.service';

const uuid = z.string().uuid();

const integrityResponseSchema = z.object({
  caseId: z.string(),
  checkedAt: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      key: z.string(),
      sha256: z.string().describe('recorded when the evidence was received'),
      size: z.number(),
      status: z.enum(['intact', 'mismatch', 'missing']),
      observedSha256: z.string().optional().describe('what storage holds now, when it differs'),
      checkedAt: z.string(),
    }),
  ),
});

/**
 * 案卷 and its trail: the whole history of a case with its audit references, the evidence re-hashed on
 * demand, and the case file exported as a ZIP. All are reads (an auditor may call them): the integrity
 * check records only its observation on the evidence, as the system.
 */
@ApiTags('case file')
@Controller('cases')
export class CasefileController {
  constructor(
    private readonly trace: CaseTraceUseCase,
    private readonly integrity: EvidenceIntegrityService,
    private readonly exporter: CaseFileExportUseCase,
  ) {}

  @Get(':id/trace')
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'The whole history of a case, its lead and sub-cases from the audit trail: each step with actor, time, ' +
      'the records it produced and its audit event (chainSeq and hash; null while not sealed); evidence with ' +
      'its stored integrity mark',
  })
  @ApiZodResponse(200, caseTraceSchema)
  getTrace(@ZodParam('id', uuid) id: string) {
    return this.trace.execute(id);
  }

  @Get(':id/evidence/integrity')
  @LongRunning()
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'Re-hashes every evidence object of the case now (streamed): intact, mismatch or missing per item; ' +
      'marks the evidence rows of each key, audits changes as the system, alerts admins, auditors and the ' +
      "case's officers on new damage",
  })
  @ApiZodResponse(200, integrityResponseSchema)
  checkIntegrity(@ZodParam('id', uuid) id: string) {
    return this.integrity.checkCase(id);
  }

  @Get(':id/export')
  @LongRunning()
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'The case file as a streamed ZIP: documents in catalogue order (卷内目录), evidence, README.txt, ' +
      'manifest.json (sha256 and size of every file, evidence status, audit hash of the last sealed event) ' +
      'and SHA256SUMS',
  })
  @ApiProduces('application/zip')
  @ApiResponse({
    status: 200,
    description: 'application/zip, Content-Disposition attachment (UTF-8 file name with the case number)',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  async export(@ZodParam('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.exporter.execute(id);
    reply.header('content-type', 'application/zip');
    reply.header('content-disposition', file.contentDisposition);
    reply.header('cache-control', 'no-store');
    return file.stream;
  }
}
