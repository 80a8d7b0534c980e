import { type LegalArticle, type ViolationType } from '@ecc/legal-domain';
import { type IsoDate } from '@ecc/shared-kernel';

/**
 * What the evaluation needs from the legal-basis catalogue, passed in as data so that this lib does not
 * depend on how the catalogue is stored. Several versions may share a code, with disjoint validity.
 */
export interface CatalogueArticle {
  code: string;
  validFrom: IsoDate;
  /** Last day in force, inclusive; null while in force. */
  validTo: IsoDate | null;
  /** Violation types the article applies to; empty = any (a procedural or remedy article). */
  violationTypes: ViolationType[];
  /** The fine range the article allows, where it sets one. */
  minYuan?: number | null;
  maxYuan?: number | null;
}

/** The legal-basis catalogue (`@ecc/legal-domain`) in the shape the evaluation reads. */
export function fromLegalCatalogue(articles: readonly LegalArticle[]): CatalogueArticle[] {
  return articles.map((a) => ({
    code: a.code,
    validFrom: a.validFrom,
    validTo: a.validTo,
    violationTypes: [...a.violationTypes],
    minYuan: a.penalty?.fineYuan?.minYuan ?? null,
    maxYuan: a.penalty?.fineYuan?.maxYuan ?? null,
  }));
}
