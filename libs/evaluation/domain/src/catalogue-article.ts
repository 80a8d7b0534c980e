import { type IsoDate } from '@ecc/shared-kernel';

/**
 * What the evaluation needs from the legal-basis catalogue, passed in as data so that this lib does not
 * depend on how the catalogue is stored.
 */
export interface CatalogueArticle {
  code: string;
  validFrom: IsoDate;
  /** Last day in force, inclusive; null while in force. */
  validTo: IsoDate | null;
  /** Violation types the article applies to; empty = any (e.g. a procedural article). */
  violationTypes: string[];
  /** The penalty range the article allows, where it sets one. */
  minYuan?: number | null;
  maxYuan?: number | null;
}
