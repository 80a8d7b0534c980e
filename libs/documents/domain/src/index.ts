export { DOCUMENT_FORMS, DOCUMENT_FORM_KINDS, type DocumentFormKind } from './document-forms';
export {
  documentNumberSchema,
  formatDocumentNumber,
  parseDocumentNumber,
  type DocumentNumber,
} from './document-number';
export {
  documentBlockSchema,
  parsePrintableDocument,
  partySchema,
  printableDocumentSchema,
  type DocumentBlock,
  type FieldCell,
  type Party,
  type PrintableDocument,
} from './printable-document';
export {
  codeMatches,
  documentContentSha256,
  formatVerificationPayload,
  parseVerificationCode,
  parseVerificationPayload,
  verification,
  verificationFor,
  type DocumentVerification,
  type ParsedVerificationCode,
} from './verification-code';
export { caseFileSchema, parseCaseFile, type CaseFile, type CaseFileCover } from './case-file';
export { chineseDate, chineseDateTime } from './chinese-date';
export { printableFromCaseDocument, type StoredCaseDocument } from './case-document-mapping';
