/**
 * Prints the case documents (PDF, docs/documents.md). Provided by a context above cases (the case file)
 * under CASE_DOCUMENT_PRINTER; absent, no PDF is queued and `?format=pdf` answers 503 (`pdf_unavailable`).
 */
export interface CaseDocumentPrinter {
  /**
   * Told, once an action has committed, of the document versions it wrote: queues their printing off the
   * request path. It must not throw (a version not queued is printed when first asked for).
   */
  versionsWritten(caseId: string, documents: readonly { id: string; version: number }[]): Promise<void>;
  /** The PDF of a version of a case's document (the current one without `version`), printed now if missing. */
  pdf(caseId: string, documentId: string, version?: number): Promise<{ pdf: Buffer; fileName: string }>;
}

export const CASE_DOCUMENT_PRINTER = Symbol('CASE_DOCUMENT_PRINTER');
