import { Inject, Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { LegalArticle } from '@ecc/legal-domain';
import { LegalBasisRepository, type LegalBasisRecord } from '@ecc/legal-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';

/** Adds a provision, or a new version of one (same code, later first day in force). */
@Injectable()
export class AddLegalBasisUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly catalogue: LegalBasisRepository,
  ) {}

  async execute(article: LegalArticle, ctx: CommandContext): Promise<LegalBasisRecord> {
    return this.prisma.$transaction(async (tx) => {
      if (await this.catalogue.exists(tx, article.code, article.validFrom)) {
        throw new DomainError(
          'conflict',
          'legal_basis_exists',
          `${article.code} already has a version in force from ${article.validFrom}`,
        );
      }
      const created = await this.catalogue.create(tx, article);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'legal_basis.added',
        entityType: 'legal_basis',
        entityId: created.id,
        requestId: ctx.requestId,
        changes: article,
      });
      return created;
    });
  }
}

/** Sets the last day a version is in force (when a provision is amended or repealed). */
@Injectable()
export class EndLegalBasisUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly catalogue: LegalBasisRepository,
  ) {}

  async execute(id: string, validTo: string | null, ctx: CommandContext): Promise<LegalBasisRecord> {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.legalBasis.findUnique({
        where: { id },
        select: { validFrom: true, validTo: true },
      });
      if (!current) throw notFound('legal_basis', id);
      const from = current.validFrom.toISOString().slice(0, 10);
      if (validTo !== null && validTo < from) {
        throw new DomainError(
          'validation',
          'validation_failed',
          `validTo ${validTo} precedes validFrom ${from}`,
          {
            errors: [{ path: 'body.validTo', message: `must not precede validFrom ${from}` }],
          },
        );
      }
      const updated = await this.catalogue.setValidTo(tx, id, validTo);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'legal_basis.validity_changed',
        entityType: 'legal_basis',
        entityId: id,
        requestId: ctx.requestId,
        changes: { before: current.validTo?.toISOString().slice(0, 10) ?? null, after: validTo },
      });
      return updated;
    });
  }
}
