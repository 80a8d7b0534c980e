import type { IsoDate } from '@ecc/shared-kernel';
import { basisInForce, basisRef, LEGAL_BASIS_CATALOGUE, refOf, type LegalRef } from '@ecc/legal-domain';

/** The citation of `code` in the version in force on `onDate` (else the latest one, for display). */
export function cite(code: string, onDate?: IsoDate): LegalRef {
  const entry = onDate ? basisInForce(LEGAL_BASIS_CATALOGUE, code, onDate) : undefined;
  return entry ? refOf(entry) : basisRef(code);
}
