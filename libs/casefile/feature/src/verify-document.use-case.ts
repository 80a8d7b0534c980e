import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { z } from 'zod';
import {
  chineseDate,
  codeMatches,
  documentContentSha256,
  formatDocumentNumber,
  parseVerificationCode,
} from '@ecc/documents-domain';
import { DocumentPdfsRepository } from '@ecc/casefile-data';
import { APP_CONFIG, REDIS, RedisTokenBucket, type RedisConnection } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { CaseDocumentPdfs } from './case-document-pdfs.service';

export const verifyQuerySchema = z.strictObject({
  code: z.string().trim().min(1).max(40).describe('the code printed in the footer (7KQ2-M9XD-3FHW-2)'),
});

export const verificationResultSchema = z.object({
  code: z.string().describe('the code as printed'),
  status: z
    .enum(['latest', 'superseded', 'unknown'])
    .describe(
      'latest: this version is in force; superseded: a later version replaced it; unknown: no such version',
    ),
  document: z
    .object({
      authority: z.string(),
      name: z.string().describe('行政处罚决定书 …'),
      number: z.string().describe('文书编号'),
      version: z.number().int(),
      latestVersion: z.number().int(),
      issuedOn: z.string().describe('the date of this version (2024年6月7日)'),
    })
    .nullable()
    .describe('what the paper should show; no personal data (no party, no content)'),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

/**
 * GET /documents/verify?code=…: whoever holds a printed document asks whether that version exists and is
 * the latest. Public, so it answers only the document's name, number, version and date, never a party or
 * the content, and each client address is limited (DOCUMENT_VERIFY_RATE_PER_MINUTE, a Redis token bucket
 * shared by every API instance; the codes' 55 bits are not to be guessed anyway).
 */
@Injectable()
export class VerifyDocumentUseCase implements OnApplicationShutdown {
  private readonly logger = new Logger(VerifyDocumentUseCase.name);
  private readonly bucket: RedisTokenBucket;
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisConnection,
    private readonly versions: DocumentPdfsRepository,
    private readonly pdfs: CaseDocumentPdfs,
  ) {
    // a look-up must not wait for Redis
    this.bucket = RedisTokenBucket.failingFast(redis);
  }

  async execute(
    input: z.infer<typeof verifyQuerySchema>,
    clientAddress: string,
  ): Promise<VerificationResult> {
    await this.take(clientAddress);
    const parsed = parseVerificationCode(input.code);
    const row = await this.versions.byVerificationCode(parsed.code);
    if (!row?.printable) return { code: parsed.code, status: 'unknown', document: null };
    const model = this.pdfs.modelOf(row);
    const stored = {
      documentNumber: formatDocumentNumber(model.number),
      version: row.version,
      contentSha256: documentContentSha256(model),
    };
    // the row was found by its code; the digest is checked all the same (a code is only 55 bits of it)
    if (!codeMatches(parsed, stored)) return { code: parsed.code, status: 'unknown', document: null };
    return {
      code: parsed.code,
      status: row.version === row.document.currentVersion ? 'latest' : 'superseded',
      document: {
        authority: model.authority,
        name: model.name,
        number: stored.documentNumber,
        version: row.version,
        latestVersion: row.document.currentVersion,
        issuedOn: chineseDate(row.createdAt, this.config.bureau.timeZone),
      },
    };
  }

  private async take(clientAddress: string): Promise<void> {
    const { verifyRatePerMinute, verifyBurst } = this.config.documents;
    let result;
    try {
      result = await this.bucket.take(
        `${this.config.redis.keyPrefix}:documents:verify:${clientAddress}`,
        verifyRatePerMinute / 60,
        verifyBurst,
      );
    } catch (error) {
      // fail open: the limit protects capacity, and a look-up reads one indexed row
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'verification rate limiter unavailable, admitting look-ups');
      }
      return;
    }
    if (!result.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(result.waitMs / 1000));
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `more than ${verifyRatePerMinute} look-ups a minute from this address; retry after ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  onApplicationShutdown(): void {
    this.bucket.disconnect();
  }
}
