export { documentFonts, unsupportedCharacters, type DocumentFonts } from './fonts';
export {
  renderDocument,
  type RenderOptions,
  type RenderedDocument,
  type RenderedPdf,
} from './render-document';
export { renderCaseFile, type CaseFileEntry, type RenderedCaseFile } from './render-case-file';
export { SAMPLE_CASE, sampleDocuments, sampleInquiryRecord } from './sample-documents';
export { PdfRenderPool, type RenderPoolOptions } from './render-pool';
