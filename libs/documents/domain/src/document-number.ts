import { DomainError } from '@ecc/shared-kernel';
import { z } from 'zod';

/** 文书编号: the case number, the form's code and the sequence of that form in the case. */
export const documentNumberSchema = z.strictObject({
  caseNumber: z.string().trim().min(1).max(100),
  code: z.string().regex(/^[A-Z]{2,4}$/, 'two to four capital letters'),
  sequence: z.number().int().min(1).max(999),
});
export type DocumentNumber = z.infer<typeof documentNumberSchema>;

/** `汨交罚〔2024〕第0001号-JD-01`: the form the case layer stores. */
export function formatDocumentNumber(n: DocumentNumber): string {
  return `${n.caseNumber}-${n.code}-${String(n.sequence).padStart(2, '0')}`;
}

const NUMBER = /^(.+)-([A-Z]{2,4})-(\d{2,3})$/u;

export function parseDocumentNumber(text: string): DocumentNumber {
  const m = NUMBER.exec(text.trim());
  const parsed =
    m && documentNumberSchema.safeParse({ caseNumber: m[1], code: m[2], sequence: Number(m[3]) });
  if (!parsed?.success)
    throw new DomainError('validation', 'document_number_malformed', `"${text}" is not a document number`, {
      errors: [
        {
          path: 'documentNumber',
          message: 'expected <case number>-<code>-<sequence>, e.g. …〔2024〕第0001号-JD-01',
        },
      ],
    });
  return parsed.data;
}
