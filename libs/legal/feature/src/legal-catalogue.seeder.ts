import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { catalogueProblems, LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import { LegalBasisRepository } from '@ecc/legal-data';
import { PRISMA } from '@ecc/platform-nest';

/**
 * Legal texts are data: at start, the provisions the code ships with are added to the catalogue table
 * where they are missing. Existing rows (possibly corrected by an admin) are never overwritten.
 */
@Injectable()
export class LegalCatalogueSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegalCatalogueSeeder.name);

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly catalogue: LegalBasisRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = catalogueProblems(LEGAL_BASIS_CATALOGUE);
    if (problems.length)
      throw new Error(`the built-in legal catalogue is inconsistent: ${problems.join('; ')}`);
    const added = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ecc.legal-catalogue-seed'))`;
      const missing = await this.catalogue.missing(tx, LEGAL_BASIS_CATALOGUE);
      for (const article of missing) {
        const created = await this.catalogue.create(tx, article);
        await recordAudit(tx, {
          actor: systemActor('legal-catalogue-seed'),
          action: 'legal_basis.seeded',
          entityType: 'legal_basis',
          entityId: created.id,
          changes: { code: article.code, validFrom: article.validFrom },
        });
      }
      return missing.length;
    });
    if (added) this.logger.log(`legal catalogue: ${added} provision version(s) added`);
  }
}
