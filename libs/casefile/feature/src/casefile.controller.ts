import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ApiProblems,
  ApiZodResponse,
  LongRunning,
  NoPersonalData,
  PersonalData,
  Public,
  Roles,
  ZodParam,
  ZodQuery,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { CaseFileExportUseCase } from './case-file-export.use-case';
import { caseTraceSchema, CaseTraceUseCase } from './case-trace.use-case';
import { EvidenceIntegrityService } from './evidence-integrity.service';
import { CaseFilePdfUseCase } from './case-file-pdf.use-case';
import {
  verificationResultSchema,
  VerifyDocumentUseCase,
  verifyQuerySchema,
} from './verify-document.use-case';

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
    private readonly caseFilePdf: CaseFilePdfUseCase,
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
  @Get(':id/case-file.pdf')
  @LongRunning()
  @PersonalData('case', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'The whole case file as one PDF, as an evaluator reads it: cover (案卷封面), table of contents ' +
      '(卷内目录) and the current version of every document in catalogue order, each page stamped with ' +
      'its case-file page number',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({
    status: 200,
    description: 'application/pdf, Content-Disposition inline (UTF-8 file name with the case number)',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems({
    404: '`case_not_found`',
    422: '`case_file_empty` (no document yet), `document_characters_unsupported`, `document_not_printable`',
  })
  async caseFile(@ZodParam('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.caseFilePdf.execute(id);
    reply.header('content-type', 'application/pdf');
    reply.header(
      'content-disposition',
      `inline; filename="case-file-${id}.pdf"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    );
    reply.header('cache-control', 'no-store');
    return file.pdf;
  }
}

/**
 * 文书核验: whoever holds a printed case document (the party, a court, an evaluator) asks whether its
 * version exists and is the latest, by the code in its footer or its QR code. Public, no personal data.
 */
@ApiTags('documents')
@Controller('documents')
export class DocumentVerificationController {
  constructor(private readonly verify: VerifyDocumentUseCase) {}

  @Get('verify')
  @Public()
  @NoPersonalData()
  @ApiOperation({
    summary:
      'Verify a printed document by its code: exists and latest, superseded by a later version, or unknown ' +
      '(public, rate-limited per client address; answers no personal data)',
  })
  @ApiZodResponse(200, verificationResultSchema)
  @ApiProblems({
    400: '`verification_code_malformed`, `verification_code_mistyped` (the check character does not match)',
    429: '`rate_limited`: too many look-ups from this address (Retry-After)',
  })
  check(@ZodQuery(verifyQuerySchema) query: { code: string }, @Req() request: FastifyRequest) {
    return this.verify.execute(query, request.ip);
  }
}
