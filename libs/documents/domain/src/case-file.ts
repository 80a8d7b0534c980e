import { z } from 'zod';
import { parseModel, printableDocumentSchema } from './printable-document';

const text = z.string().trim().min(1).max(500);

/** 案卷封面: what the cover of a case file shows. Dates are printed as given (2024年5月12日). */
const coverSchema = z.strictObject({
  authority: text,
  caseNumber: text,
  /** 案由 */
  caseCause: text,
  party: text,
  filedOn: text,
  closedOn: text.optional(),
  archivedOn: text.optional(),
  /** 承办人 */
  handlers: text.optional(),
  /** 保管期限 (永久, 长期, 短期 …) */
  retention: text.optional(),
  /** 复议诉讼情况: each reconsideration or lawsuit against the decision and how it ended, one line each */
  remedies: z.array(text).max(10).optional(),
});

/**
 * A case file (案卷) to print as one PDF: its cover, then 卷内目录, then the documents in the order given
 * (the case layer decides the catalogue order). `createdAt` is the instant the file stands for (its last
 * document version, or its archiving), never the clock; `timeZone` dates the catalogue's entries.
 */
export const caseFileSchema = z.strictObject({
  cover: coverSchema,
  documents: z.array(printableDocumentSchema).min(1).max(500),
  createdAt: z.iso.datetime({ offset: true }),
  timeZone: z.string().min(1).default('Asia/Shanghai'),
});

export type CaseFile = z.infer<typeof caseFileSchema>;
export type CaseFileCover = z.infer<typeof coverSchema>;

export function parseCaseFile(input: unknown): CaseFile {
  return parseModel(caseFileSchema, input, 'case_file_invalid', 'the case file model is not valid');
}
