import { createHash } from 'node:crypto';
import {
  formatVerificationPayload,
  parsePrintableDocument,
  verificationFor,
  type DocumentVerification,
  type PrintableDocument,
} from '@ecc/documents-domain';
import { DomainError, canonicalJson } from '@ecc/shared-kernel';
import { DocumentLayout } from './document-layout';
import { documentFonts, unsupportedCharacters, type DocumentFonts } from './fonts';
import { paginate, type Placed } from './pagination';
import { FOOTER, MM, PAGE, TYPE } from './page-style';
import { PdfTarget } from './pdf-target';
import { qrRuns } from './qr-code';

export interface RenderOptions {
  /** the public verification address printed in the QR code (default: the `ecc-doc:verify` form) */
  verifyBaseUrl?: string;
}

export interface RenderedPdf {
  pdf: Buffer;
  /** sha256 of the PDF bytes (to record with the version: the same bytes come back every time) */
  sha256: string;
  pageCount: number;
}

export interface RenderedDocument extends RenderedPdf {
  verification: DocumentVerification;
  qrPayload: string;
}

/** A document laid out on its pages, ready to be drawn (alone or inside a case file). */
export interface LaidOutDocument {
  doc: PrintableDocument;
  pages: Placed[][];
  verification: DocumentVerification;
  qrPayload: string;
}

/** Renders one document version to PDF: same model, same bytes. */
export async function renderDocument(
  input: PrintableDocument,
  options: RenderOptions = {},
): Promise<RenderedDocument> {
  const fonts = documentFonts();
  const laid = layOutDocument(parsePrintableDocument(input), fonts, options);
  const target = new PdfTarget(fonts, {
    title: `${laid.doc.name} ${laid.verification.documentNumber}`,
    author: laid.doc.authority,
    subject: `验证码 ${laid.verification.code}`,
    keywords: laid.verification.documentNumber,
    createdAt: new Date(laid.doc.createdAt),
  });
  drawDocument(target, laid);
  const pdf = await target.finish();
  return {
    pdf,
    sha256: sha256(pdf),
    pageCount: laid.pages.length,
    verification: laid.verification,
    qrPayload: laid.qrPayload,
  };
}

export function layOutDocument(
  doc: PrintableDocument,
  fonts: DocumentFonts,
  options: RenderOptions,
): LaidOutDocument {
  assertPrintable(doc);
  const layout = new DocumentLayout(fonts);
  const reserved = doc.pageNote ? TYPE.bodyPitch * 1.5 : 0;
  const pages = paginate(layout.document(doc), PAGE.bodyHeight - reserved);
  const verification = verificationFor(doc);
  return {
    doc,
    pages,
    verification,
    qrPayload: formatVerificationPayload(verification, options.verifyBaseUrl),
  };
}

/**
 * Draws a laid-out document's pages: its items, and on every page the page note, "第 N 页 共 M 页", the
 * verification code and the QR code. `stamp` adds the case file's own page number.
 */
export function drawDocument(
  target: PdfTarget,
  laid: LaidOutDocument,
  stamp?: (pageIndex: number) => string,
): void {
  const qr = qrRuns(laid.qrPayload);
  laid.pages.forEach((placed, index) => {
    target.addPage();
    for (const p of placed) p.item.draw(target, PAGE.left, PAGE.top + p.y);
    drawFrame(target, laid, qr, index, stamp?.(index));
  });
}

function drawFrame(
  target: PdfTarget,
  laid: LaidOutDocument,
  qr: ReturnType<typeof qrRuns>,
  index: number,
  stamp: string | undefined,
): void {
  const right = PAGE.left + PAGE.bodyWidth;
  const font = target.measureFont;
  if (laid.doc.pageNote) {
    const blank = '\u3000'.repeat(8);
    const note = `${laid.doc.pageNote}${blank}`;
    const y = PAGE.top + PAGE.bodyHeight - TYPE.bodyPitch;
    const width = font('regular', TYPE.body, note);
    target.text('regular', TYPE.body, note, right - width, y, TYPE.bodyPitch);
    target.line(
      right - font('regular', TYPE.body, blank),
      y + TYPE.bodyPitch * 0.8,
      right,
      y + TYPE.bodyPitch * 0.8,
      0.5,
    );
  }
  const pageNumber = `第 ${index + 1} 页 共 ${laid.pages.length} 页`;
  const pw = font('regular', TYPE.remark, pageNumber);
  target.text(
    'regular',
    TYPE.remark,
    pageNumber,
    PAGE.left + (PAGE.bodyWidth - pw) / 2,
    FOOTER.pageNumberY,
    TYPE.remarkPitch,
  );

  const v = laid.verification;
  const left = PAGE.left;
  const y = FOOTER.pageNumberY + TYPE.remarkPitch + 1 * MM;
  target.text('regular', TYPE.footer, `验证码：${v.code}`, left, y, TYPE.footer * 1.5);
  target.text(
    'regular',
    TYPE.footer,
    `文书编号：${v.documentNumber}（第 ${v.version} 版）`,
    left,
    y + TYPE.footer * 1.5,
    TYPE.footer * 1.5,
  );
  target.text(
    'regular',
    TYPE.footer,
    '扫描二维码或凭验证码向发文机关核验本文书',
    left,
    y + TYPE.footer * 3,
    TYPE.footer * 1.5,
  );

  const module = FOOTER.qrSize / qr.size;
  const qx = right - FOOTER.qrSize;
  for (const r of qr.runs)
    target.fillRect(qx + r.column * module, FOOTER.qrY + r.row * module, r.length * module, module);
  target.fill();

  if (stamp) {
    const sw = font('regular', TYPE.cell, stamp);
    target.text('regular', TYPE.cell, stamp, right - sw, 12 * MM, TYPE.cellPitch);
  }
}

/** Refuses a document with a character the embedded face cannot print: an empty box is no name. */
function assertPrintable(doc: PrintableDocument): void {
  const missing = unsupportedCharacters(canonicalJson(doc));
  if (missing.length)
    throw new DomainError(
      'validation',
      'document_characters_unsupported',
      `the document font has no glyph for ${missing.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join(', ')}`,
      { characters: missing },
    );
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
