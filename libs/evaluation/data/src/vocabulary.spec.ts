import { DOCUMENT_KINDS, type DocumentKind as ScoredDocumentKind } from '@ecc/evaluation-domain';
import { DocumentKind } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';
import { isScoredDocumentKind, UNSCORED_DOCUMENT_KINDS, type UnscoredDocumentKind } from './document-kinds';

/** One vocabulary (issue 12): the evaluation's document kinds are the schema's, less those it does not score. */
describe('the document kinds of the case-file evaluation', () => {
  it('document_kind is DOCUMENT_KINDS and UNSCORED_DOCUMENT_KINDS, value for value', () => {
    assertType<Equal<DocumentKind, ScoredDocumentKind | UnscoredDocumentKind>>(true);
    expect(valuesOf(DocumentKind)).toEqual(
      valuesOf([...DOCUMENT_KINDS, ...Object.keys(UNSCORED_DOCUMENT_KINDS)]),
    );
  });

  it('no kind is both scored and unscored, and each unscored kind says why', () => {
    assertType<Equal<Extract<ScoredDocumentKind, UnscoredDocumentKind>, never>>(true);
    expect(DOCUMENT_KINDS.filter((k) => k in UNSCORED_DOCUMENT_KINDS)).toEqual([]);
    for (const reason of Object.values(UNSCORED_DOCUMENT_KINDS)) expect(reason.length).toBeGreaterThan(10);
  });

  it('isScoredDocumentKind tells the two apart', () => {
    expect(Object.values(DocumentKind).filter(isScoredDocumentKind).sort()).toEqual(valuesOf(DOCUMENT_KINDS));
  });
});
