import { DomainError, type FieldIssue } from '@ecc/shared-kernel';
import { z } from 'zod';
import { DOCUMENT_FORM_KINDS } from './document-forms';
import { documentNumberSchema } from './document-number';

/**
 * The printable document: everything a case document prints, as typed blocks, and nothing about how
 * it is drawn. The case layer builds it from the case's facts; the PDF adapter lays it out on A4 in the
 * manner of the transport enforcement document forms (交通运输行政执法文书式样). Its canonical JSON is the
 * "content" whose sha256 the verification code binds.
 */
const line = z.string().trim().min(1).max(2000);
const longText = z.string().trim().min(1).max(20_000);

/** Running text; `indent` (default true) sets in the first line by two characters, as Chinese prose is. */
const paragraphBlock = z.strictObject({
  type: z.literal('paragraph'),
  text: longText,
  indent: z.boolean().optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
  bold: z.boolean().optional(),
});

/** A heading inside the body (一、违法事实). */
const headingBlock = z.strictObject({ type: z.literal('heading'), text: line });

/**
 * 表格式文书: labelled cells in rows. Each cell is a label and its value; the cells of a row share its
 * width by `span`. `minLines` keeps room for what is written by hand (approval opinions).
 */
const fieldCell = z.strictObject({
  label: line,
  value: z.string().trim().max(20_000),
  span: z.number().int().min(1).max(6).optional(),
  minLines: z.number().int().min(1).max(20).optional(),
});
const fieldsBlock = z.strictObject({
  type: z.literal('fields'),
  rows: z.array(z.strictObject({ cells: z.array(fieldCell).min(1).max(4) })).min(1),
  /** width of the label cells in characters of the cell type size (default 5) */
  labelWidth: z.number().min(2).max(12).optional(),
});

/** A list in columns (证据清单): its header row is repeated on every page it runs over. */
const tableBlock = z
  .strictObject({
    type: z.literal('table'),
    columns: z
      .array(z.strictObject({ title: line, width: z.number().positive().max(100) }))
      .min(1)
      .max(8),
    rows: z.array(z.array(z.string().trim().max(5000))).min(1),
  })
  .superRefine((t, ctx) => {
    t.rows.forEach((r, i) => {
      if (r.length !== t.columns.length)
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i],
          message: `row has ${r.length} cells, the table ${t.columns.length} columns`,
        });
    });
  });

/** A numbered list (1. 2. 3.) with hanging numbers. */
const listBlock = z.strictObject({ type: z.literal('list'), items: z.array(longText).min(1) });

/** 询问笔录 / 听证笔录: who speaks (问, 答, or a name) and what was said. */
const dialogueBlock = z.strictObject({
  type: z.literal('dialogue'),
  entries: z.array(z.strictObject({ speaker: z.string().trim().min(1).max(12), text: longText })).min(1),
});

/**
 * Where people sign by hand: one line per signer, the date printed when known, else left blank
 * (年 月 日) for the pen.
 */
const signaturesBlock = z.strictObject({
  type: z.literal('signatures'),
  lines: z
    .array(z.strictObject({ role: line, name: z.string().trim().max(200).optional(), date: line.optional() }))
    .min(1),
});

/** The issuing authority's name with room for its seal, and the date (成文日期), set to the right. */
const sealBlock = z.strictObject({ type: z.literal('seal'), authority: line, date: line });

/** 备注 and notes on copies (本文书一式两份…), in a smaller size. */
const remarksBlock = z.strictObject({ type: z.literal('remarks'), text: longText });

export const documentBlockSchema = z.discriminatedUnion('type', [
  paragraphBlock,
  headingBlock,
  fieldsBlock,
  tableBlock,
  listBlock,
  dialogueBlock,
  signaturesBlock,
  sealBlock,
  remarksBlock,
]);

export const partySchema = z.strictObject({
  kind: z.enum(['person', 'organisation']),
  name: line,
  /** 公民身份号码 for a person, 统一社会信用代码 for an organisation */
  idNumber: z.string().trim().max(64).optional(),
  address: z.string().trim().max(500).optional(),
  phone: z.string().trim().max(64).optional(),
  /** 法定代表人 (organisation) */
  representative: z.string().trim().max(200).optional(),
});

export const printableDocumentSchema = z.strictObject({
  kind: z.enum(DOCUMENT_FORM_KINDS),
  /** the issuing authority: the title line (汨罗市交通运输局) */
  authority: line,
  /** the document's name (行政处罚决定书) */
  name: line,
  number: documentNumberSchema,
  /** 主送: the line a letter is addressed to (张三：), without the colon */
  addressee: z.string().trim().min(1).max(500).optional(),
  party: partySchema.optional(),
  /** how the party block prints under the number: as lines (letters), as cells (forms), or not at all */
  partyLayout: z.enum(['lines', 'fields', 'none']).optional(),
  blocks: z.array(documentBlockSchema).min(1),
  /** printed at the foot of every page above the page number (被询问人签名：) */
  pageNote: z.string().trim().min(1).max(200).optional(),
  /** the document version this prints (1, 2, …) */
  version: z.number().int().min(1),
  /** the creation instant of that version (ISO 8601): the PDF's dates, never the clock */
  createdAt: z.iso.datetime({ offset: true }),
});

export type PrintableDocument = z.infer<typeof printableDocumentSchema>;
export type DocumentBlock = z.infer<typeof documentBlockSchema>;
export type Party = z.infer<typeof partySchema>;
export type FieldCell = z.infer<typeof fieldCell>;

/** Validates a document model (from the case layer or from stored JSON): a clear error per field. */
export function parsePrintableDocument(input: unknown): PrintableDocument {
  return parseModel(
    printableDocumentSchema,
    input,
    'printable_document_invalid',
    'the document model is not valid',
  );
}

/** Parses with a schema; a failure is a validation DomainError listing each bad field's path. */
export function parseModel<T extends z.ZodType>(
  schema: T,
  input: unknown,
  code: string,
  message: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldIssue[] = result.error.issues.map((i) => ({
    path: i.path.join('.'),
    message: i.message,
  }));
  throw new DomainError('validation', code, message, { errors });
}
