import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@ecc/shared-kernel';
import { LEGAL_BASIS_CATALOGUE, type LegalArticle } from '@ecc/legal-domain';
import { LegalBasisRepository } from '@ecc/legal-data';
import { CLOCK } from '@ecc/platform-nest';

/** Catalogue edits reach screening within this time; re-reading it for every detection would cost a query each. */
const TTL_MS = 30_000;

/**
 * The legal-basis catalogue screening cites from: the admin-maintained one in Postgres, so a corrected text
 * or a new version drives the basis written on leads. A provision the table does not hold yet (the API seeds
 * it at start; a worker may start first) comes from the built-in catalogue.
 */
@Injectable()
export class LegalCatalogueProvider {
  private cached?: { loadedAt: number; catalogue: readonly LegalArticle[] };

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly legalBases: LegalBasisRepository,
  ) {}

  async current(): Promise<readonly LegalArticle[]> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < TTL_MS) return this.cached.catalogue;
    const stored = (await this.legalBases.list()).map(({ id: _id, ...article }) => article);
    const codes = new Set(stored.map((a) => a.code));
    const catalogue = [...stored, ...LEGAL_BASIS_CATALOGUE.filter((a) => !codes.has(a.code))];
    this.cached = { loadedAt: now, catalogue };
    return catalogue;
  }
}
