import { DomainError } from '@ecc/shared-kernel';
import { DOCUMENT_FORMS, type DocumentFormKind } from './document-forms';
import { parseDocumentNumber } from './document-number';
import {
  parsePrintableDocument,
  type DocumentBlock,
  type FieldCell,
  type PrintableDocument,
} from './printable-document';

/**
 * A case document as the case layer stores a version of it: the template's output (its title, then one
 * line per entry), the number it was given and the version's creation instant. `kind` is the case layer's
 * kind, which may be one this mapping does not know yet: such a document prints its lines as text blocks.
 */
export interface StoredCaseDocument {
  kind: string;
  title: string;
  /** the stored plain text: the title, a blank line, then the template's lines */
  text: string;
  documentNumber: string;
  version: number;
  /** ISO 8601 instant of the version: the PDF's dates */
  createdAt: string;
  /** the issuing authority, the title line */
  authority: string;
}

/**
 * What is written by hand on the paper of a form (交通运输行政执法文书式样): the rows left for signatures,
 * and the note at each page's foot of a record the person questioned signs page by page.
 */
interface FormShape {
  /** cells appended to the form's fields, left empty (or with `minLines`) for the pen */
  handwritten?: FieldCell[];
  signatures?: string[];
  pageNote?: string;
  labelWidth?: number;
}

/** 表格式文书: printed as labelled cells, then what is signed by hand. */
const FORMS: Partial<Record<DocumentFormKind, FormShape>> = {
  filing_approval: { signatures: ['承办人签名', '负责人签名'] },
  inquiry_record: {
    signatures: ['被询问人签名', '询问人签名', '记录人签名'],
    pageNote: '被询问人签名：',
  },
  evidence_list: { signatures: ['当事人签名或盖章', '执法人员签名'] },
  hearing_record: {
    signatures: ['当事人或代理人签名', '听证主持人签名', '记录人签名'],
    pageNote: '当事人签名：',
  },
  statement_record: { signatures: ['陈述申辩人签名', '记录人签名'] },
  legal_review_opinion: { signatures: ['法制审核人员签名', '法制机构负责人签名'] },
  proof_of_service: {
    labelWidth: 7,
    handwritten: [
      { label: '受送达人签名或盖章', value: '', minLines: 3 },
      { label: '代收人及代收理由', value: '', minLines: 2 },
      { label: '送达人签名', value: '', minLines: 2 },
      { label: '备注', value: '', minLines: 2 },
    ],
  },
  payment_record: {},
  closing_report: { signatures: ['承办人签名', '负责人审批意见及签名'] },
};

/** `标签：内容`: a label of a few characters without punctuation, then its value. */
const LABELLED = /^([^：:，。；、（）\s]{1,12})[：:](.*)$/u;
/** `1. 证据…`: an item of a numbered list. */
const NUMBERED = /^\d{1,3}[.、．]\s*(.+)$/u;
/** The authority's signature line a template ends with: `汨罗市交通运输局（印章） 2024年6月7日`. */
const SEAL = /^(.+?)(?:（印章）)?[\u3000\s]+(\d{4}年\d{1,2}月\d{1,2}日)$/u;

const formKindOf = (kind: string): DocumentFormKind =>
  Object.hasOwn(DOCUMENT_FORMS, kind) ? (kind as DocumentFormKind) : 'other';

/**
 * The printable model of a stored case document version. Forms (立案审批表, 询问笔录, 送达回证, 法制审核意见书 …)
 * become labelled cells (one row per `标签：内容` line), with rows and signature lines for what is written by
 * hand; letters (告知书, 决定书, 抄告函 …) and every kind not known here become text blocks: paragraphs, a
 * heading for a line that ends with a colon, a numbered list, the addressee (`某某：`) and the authority's
 * seal with its date from the closing line. Nothing is dropped: every line of the stored text prints.
 */
export function printableFromCaseDocument(stored: StoredCaseDocument): PrintableDocument {
  const kind = formKindOf(stored.kind);
  let number;
  try {
    number = parseDocumentNumber(stored.documentNumber);
  } catch (error) {
    throw new DomainError(
      'validation',
      'document_not_printable',
      `the document number "${stored.documentNumber}" cannot be printed`,
      { cause: error instanceof Error ? error.message : String(error) },
    );
  }
  const lines = bodyLines(stored);
  const form = stored.kind === kind ? FORMS[kind] : undefined;
  const blocks = form ? formBlocks(lines, form) : letterBlocks(lines, stored.authority);
  if (blocks.blocks.length === 0) blocks.blocks.push({ type: 'paragraph', text: stored.title });
  return parsePrintableDocument({
    kind,
    authority: stored.authority,
    name: stored.title,
    number,
    ...(blocks.addressee ? { addressee: blocks.addressee } : {}),
    partyLayout: 'none',
    blocks: blocks.blocks,
    ...(form?.pageNote ? { pageNote: form.pageNote } : {}),
    version: stored.version,
    createdAt: stored.createdAt,
  });
}

/** The template's lines: the stored text without its title line, blank lines and repeated head lines. */
function bodyLines(stored: StoredCaseDocument): string[] {
  const lines = stored.text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines[0] === stored.title.trim()) lines.shift();
  // A letter may repeat its head (`汨罗市交通运输局行政处罚决定书 汨交罚〔2024〕第1号`): the PDF prints it.
  const head = lines[0];
  if (head?.startsWith(stored.authority) && head.includes(stored.title)) lines.shift();
  return lines;
}

function formBlocks(lines: string[], form: FormShape): { blocks: DocumentBlock[]; addressee?: string } {
  const blocks: DocumentBlock[] = [];
  let rows: FieldCell[][] = [];
  const flushRows = () => {
    if (rows.length)
      blocks.push({
        type: 'fields',
        rows: rows.map((cells) => ({ cells })),
        ...(form.labelWidth ? { labelWidth: form.labelWidth } : {}),
      });
    rows = [];
  };
  let list: string[] = [];
  for (const line of lines) {
    const numbered = NUMBERED.exec(line);
    if (numbered) {
      list.push(numbered[1]!);
      continue;
    }
    if (list.length) {
      flushRows();
      blocks.push({ type: 'list', items: list });
      list = [];
    }
    const labelled = LABELLED.exec(line);
    if (labelled) rows.push([{ label: labelled[1]!, value: labelled[2]!.trim() }]);
    else {
      flushRows();
      blocks.push({ type: 'paragraph', text: line, indent: false });
    }
  }
  if (list.length) {
    flushRows();
    blocks.push({ type: 'list', items: list });
  }
  for (const cell of form.handwritten ?? []) rows.push([cell]);
  flushRows();
  if (form.signatures?.length)
    blocks.push({ type: 'signatures', lines: form.signatures.map((role) => ({ role })) });
  return { blocks };
}

function letterBlocks(lines: string[], authority: string): { blocks: DocumentBlock[]; addressee?: string } {
  const blocks: DocumentBlock[] = [];
  let addressee: string | undefined;
  let list: string[] = [];
  const flushList = () => {
    if (list.length) blocks.push({ type: 'list', items: list });
    list = [];
  };
  lines.forEach((line, index) => {
    const numbered = NUMBERED.exec(line);
    if (numbered) {
      list.push(numbered[1]!);
      return;
    }
    flushList();
    const seal = index === lines.length - 1 ? SEAL.exec(line) : null;
    if (seal && seal[1]!.startsWith(authority)) {
      blocks.push({ type: 'seal', authority: seal[1]!, date: seal[2]! });
      return;
    }
    if (index === 0 && /[：:]$/u.test(line) && !LABELLED.exec(line)?.[2]) {
      addressee = line.slice(0, -1);
      return;
    }
    if (/[：:]$/u.test(line) && [...line].length <= 16) {
      blocks.push({ type: 'heading', text: line.slice(0, -1) });
      return;
    }
    // the party and the lines that name a fact (所属道路运输企业：…) start at the margin, prose is indented
    const labelled = LABELLED.exec(line);
    blocks.push({ type: 'paragraph', text: line, indent: !labelled || [...labelled[1]!].length > 8 });
  });
  flushList();
  return { blocks, ...(addressee ? { addressee } : {}) };
}
