import { DomainError, type IsoDate } from '@ecc/shared-kernel';
import {
  basisInForce,
  LEGAL_BASIS_CATALOGUE,
  refOf,
  type LegalArticle,
  type LegalRef,
} from '@ecc/legal-domain';

/** Turns a catalogue code into the citation written on the result. */
export type Cite = (code: string) => LegalRef;

/**
 * Citations from `catalogue` (the admin-maintained one, or the shipped default) in the version in force on
 * `onDate`; without a date, or when no version was in force then, the latest version (for display).
 */
export function citeFrom(catalogue: readonly LegalArticle[] = LEGAL_BASIS_CATALOGUE, onDate?: IsoDate): Cite {
  return (code) => {
    const inForce = onDate ? basisInForce(catalogue, code, onDate) : undefined;
    const entry =
      inForce ??
      catalogue.filter((e) => e.code === code).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
    if (!entry) {
      throw new DomainError(
        'rule_violation',
        'basis_unknown',
        `legal basis ${code} is not in the catalogue`,
        { code },
      );
    }
    return refOf(entry);
  };
}

/** Latest versions from the shipped catalogue. */
export const defaultCite: Cite = citeFrom();
