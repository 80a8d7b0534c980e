import PDFDocument from 'pdfkit';
import type { DocumentFonts } from './fonts';
import { textWidth } from './line-breaking';
import type { DrawTarget } from './pagination';
import { PAGE } from './page-style';

/** The PDF being written (pdfkit), with metadata fixed by the caller: no clock, no random identifiers. */
export class PdfTarget implements DrawTarget {
  readonly pdf: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(
    private readonly fonts: DocumentFonts,
    info: { title: string; author: string; subject: string; keywords: string; createdAt: Date },
  ) {
    this.pdf = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      autoFirstPage: false,
      compress: true,
      pdfVersion: '1.7',
      lang: 'zh-CN',
      displayTitle: true,
      // no default font: a standard (system) font would otherwise be registered
      font: null as unknown as string,
      info: {
        Title: info.title,
        Author: info.author,
        Subject: info.subject,
        Keywords: info.keywords,
        Creator: 'ecc documents',
        Producer: 'PDFKit',
        // the PDF's dates and its file identifier (a digest of this dictionary) come from the version
        CreationDate: info.createdAt,
        ModDate: info.createdAt,
      },
    });
    this.pdf.registerFont('regular', fonts.regular as unknown as string);
    this.pdf.registerFont('bold', fonts.bold as unknown as string);
    this.pdf.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.pdf.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.pdf.on('error', reject);
    });
  }

  readonly measureFont = (face: 'regular' | 'bold', size: number, text: string) =>
    textWidth(this.fonts[face], size, text);

  addPage(): void {
    this.pdf.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
  }

  text(
    face: 'regular' | 'bold',
    size: number,
    text: string,
    x: number,
    lineTop: number,
    pitch: number,
    spacing = 0,
  ): void {
    if (!text) return;
    const font = this.fonts[face];
    // the ideographic em box (0.88 em above the baseline, 0.12 below) centred in the line's pitch
    const baseline = lineTop + (pitch - size) / 2 + 0.88 * size;
    const top = baseline - (font.ascent / font.unitsPerEm) * size;
    this.pdf.font(face).fontSize(size).text(text, x, top, { lineBreak: false, characterSpacing: spacing });
  }

  rect(x: number, y: number, width: number, height: number, lineWidth: number): void {
    this.pdf.lineWidth(lineWidth).rect(x, y, width, height).stroke();
  }

  line(x1: number, y1: number, x2: number, y2: number, lineWidth: number, dash?: number): void {
    this.pdf.save().lineWidth(lineWidth);
    if (dash) this.pdf.dash(dash, { space: dash });
    this.pdf.moveTo(x1, y1).lineTo(x2, y2).stroke().restore();
  }

  fillRect(x: number, y: number, width: number, height: number): void {
    this.pdf.rect(x, y, width, height);
  }

  fill(): void {
    this.pdf.fill('#000000');
  }

  finish(): Promise<Buffer> {
    this.pdf.end();
    return this.done;
  }
}
