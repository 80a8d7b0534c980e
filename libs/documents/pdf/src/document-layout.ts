import type { DocumentBlock, FieldCell, Party, PrintableDocument } from '@ecc/documents-domain';
import { formatDocumentNumber } from '@ecc/documents-domain';
import type { DocumentFonts } from './fonts';
import {
  fixedItem,
  linesItem,
  rowItem,
  type Align,
  type Cell,
  type Face,
  type PlacedLine,
  type TextStyle,
} from './items';
import { breakLines, textWidth } from './line-breaking';
import { PAGE, TYPE } from './page-style';
import type { Item } from './pagination';

/** Turns a document model into the items of its type area, measured with the document fonts. */
export class DocumentLayout {
  readonly width = PAGE.bodyWidth;

  constructor(private readonly fonts: DocumentFonts) {}

  style(face: Face, size: number, pitch: number, align: Align = 'justify'): TextStyle {
    return { face, size, pitch, align };
  }

  /** Lines of a paragraph in a box: first line set in by `firstIndent`, the others by `restIndent`. */
  lines(text: string, style: TextStyle, width: number, firstIndent = 0, restIndent = 0): PlacedLine[] {
    const font = this.fonts[style.face];
    return breakLines(text, font, style.size, width - restIndent, width - firstIndent).map((l, i) => {
      const offset = i === 0 ? firstIndent : restIndent;
      return { ...l, offset, room: width - offset };
    });
  }

  measure(face: Face, size: number, text: string): number {
    return textWidth(this.fonts[face], size, text);
  }

  paragraph(
    text: string,
    options: { indent?: boolean; align?: Align; face?: Face; spaceBefore?: number } = {},
  ): Item {
    const style = this.style(
      options.face ?? 'regular',
      TYPE.body,
      TYPE.bodyPitch,
      options.align ?? 'justify',
    );
    const indent = options.indent === false ? 0 : 2 * TYPE.body;
    return linesItem(this.lines(text, style, this.width, indent), style, options.spaceBefore ?? 0);
  }

  /** The head of the first page: authority, document name, number. */
  head(doc: PrintableDocument): Item[] {
    const title = this.style('bold', TYPE.title, TYPE.title * 1.45, 'center');
    const name = [...doc.name].length <= 8 ? [...doc.name].join(' ') : doc.name;
    const number = this.style('regular', TYPE.number, TYPE.bodyPitch, 'right');
    return [
      linesItem(this.lines(doc.authority, title, this.width), title, 0),
      linesItem(this.lines(name, title, this.width), title, 0),
      linesItem(
        this.lines(formatDocumentNumber(doc.number), number, this.width),
        number,
        TYPE.bodyPitch * 0.3,
      ),
    ];
  }

  party(party: Party, layout: 'lines' | 'fields'): Item[] {
    const person = party.kind === 'person';
    const id = person ? '公民身份号码' : '统一社会信用代码';
    if (layout === 'fields') {
      const rows: FieldCell[][] = [
        [
          { label: '当事人', value: party.name, span: 1 },
          { label: id, value: party.idNumber ?? '', span: 1 },
        ],
        [
          { label: person ? '住址' : '住所', value: party.address ?? '', span: 1 },
          {
            label: person ? '联系电话' : '法定代表人',
            value: (person ? party.phone : party.representative) ?? '',
          },
        ],
      ];
      return this.fields(rows, 5, TYPE.bodyPitch * 0.3);
    }
    const lines = [
      `当事人：${party.name}`,
      party.idNumber ? `${id}：${party.idNumber}` : '',
      party.representative ? `法定代表人：${party.representative}` : '',
      party.address ? `${person ? '住址' : '住所'}：${party.address}` : '',
      party.phone ? `联系电话：${party.phone}` : '',
    ].filter(Boolean);
    return lines.map((l, i) =>
      this.paragraph(l, { indent: false, spaceBefore: i === 0 ? TYPE.bodyPitch * 0.3 : 0 }),
    );
  }

  /** 表格式: rows of label/value cells, the labels centred in cells `labelWidth` characters wide. */
  fields(rows: FieldCell[][], labelWidth: number, spaceBefore: number): Item[] {
    const pad = TYPE.cellPadding;
    const labelStyle = this.style('regular', TYPE.cell, TYPE.cellPitch, 'center');
    const valueStyle = this.style('regular', TYPE.cell, TYPE.cellPitch, 'justify');
    const labelBox = labelWidth * TYPE.cell + 2 * pad;
    return rows.map((cells, r) => {
      const spans = cells.reduce((a, c) => a + (c.span ?? 1), 0);
      const valueRoom = this.width - cells.length * labelBox;
      let x = 0;
      const out: Cell[] = [];
      for (const c of cells) {
        const valueBox = (valueRoom * (c.span ?? 1)) / spans;
        out.push({
          x,
          width: labelBox,
          lines: this.lines(c.label, labelStyle, labelBox - 2 * pad),
          style: labelStyle,
          valign: 'middle',
          minLines: 1,
        });
        x += labelBox;
        out.push({
          x,
          width: valueBox,
          lines: c.value ? this.lines(c.value, valueStyle, valueBox - 2 * pad) : [],
          style: valueStyle,
          valign: 'top',
          minLines: c.minLines ?? 1,
        });
        x += valueBox;
      }
      return rowItem(out, r === 0 ? spaceBefore : 0);
    });
  }

  table(columns: { title: string; width: number }[], rows: string[][], spaceBefore: number): Item[] {
    const pad = TYPE.cellPadding;
    const total = columns.reduce((a, c) => a + c.width, 0);
    const xs: { x: number; width: number; narrow: boolean }[] = [];
    let x = 0;
    for (const c of columns) {
      const width = (this.width * c.width) / total;
      xs.push({ x, width, narrow: width < 5 * TYPE.cell });
      x += width;
    }
    const cellsOf = (texts: string[], head: boolean): Cell[] =>
      texts.map((t, i) => {
        const col = xs[i]!;
        const style = this.style(
          head ? 'bold' : 'regular',
          TYPE.cell,
          TYPE.cellPitch,
          head || col.narrow ? 'center' : 'justify',
        );
        return {
          x: col.x,
          width: col.width,
          lines: t ? this.lines(t, style, col.width - 2 * pad) : [],
          style,
          valign: 'middle',
          minLines: 1,
        };
      });
    const header = rowItem(
      cellsOf(
        columns.map((c) => c.title),
        true,
      ),
      spaceBefore,
      undefined,
      true,
    );
    return [header, ...rows.map((r) => rowItem(cellsOf(r, false), 0, header))];
  }

  /** The items of a block; `joined` sets a form's rows right under the cells before it (the party's). */
  block(block: DocumentBlock, joined = false): Item[] {
    const gap = TYPE.bodyPitch * 0.3;
    switch (block.type) {
      case 'paragraph':
        return [
          this.paragraph(block.text, {
            ...(block.indent !== undefined ? { indent: block.indent } : {}),
            align: block.align ?? 'justify',
            face: block.bold ? 'bold' : 'regular',
          }),
        ];
      case 'heading': {
        const style = this.style('bold', TYPE.body, TYPE.bodyPitch, 'left');
        return [linesItem(this.lines(block.text, style, this.width), style, gap, true)];
      }
      case 'fields':
        return this.fields(
          block.rows.map((r) => r.cells),
          block.labelWidth ?? 5,
          joined ? 0 : gap,
        );
      case 'table':
        return this.table(block.columns, block.rows, gap);
      case 'list': {
        const style = this.style('regular', TYPE.body, TYPE.bodyPitch);
        const hang = this.measure('regular', TYPE.body, `${block.items.length}. `);
        return block.items.map((text, i) =>
          linesItem(
            this.lines(`${i + 1}. ${text}`, style, this.width, 2 * TYPE.body, 2 * TYPE.body + hang),
            style,
            0,
          ),
        );
      }
      case 'dialogue':
        return block.entries.map((e, i) =>
          this.paragraph(`${e.speaker}：${e.text}`, { indent: false, spaceBefore: i === 0 ? gap : 0 }),
        );
      case 'signatures':
        return [this.signatures(block.lines)];
      case 'seal':
        return [this.seal(block.authority, block.date)];
      case 'remarks': {
        const style = this.style('regular', TYPE.remark, TYPE.remarkPitch);
        return [linesItem(this.lines(block.text, style, this.width), style, gap)];
      }
    }
  }

  /** Lines to sign on: role, the name when printed, a rule to sign on, the date or 年 月 日 for the pen. */
  signatures(lines: { role: string; name?: string | undefined; date?: string | undefined }[]): Item {
    const pitch = TYPE.bodyPitch * 1.5;
    const size = TYPE.body;
    return fixedItem(lines.length * pitch, TYPE.bodyPitch * 0.5, (t, x, y) => {
      lines.forEach((l, i) => {
        const top = y + i * pitch;
        const role = `${l.role}：`;
        const roleWidth = this.measure('regular', size, role);
        t.text('regular', size, role, x, top, pitch);
        const ruleEnd = x + this.width * 0.62;
        if (l.name) t.text('regular', size, l.name, x + roleWidth + size * 0.5, top, pitch);
        t.line(x + roleWidth, top + pitch * 0.78, ruleEnd, top + pitch * 0.78, 0.5);
        const date = l.date ?? '\u3000\u3000年\u3000\u3000月\u3000\u3000日';
        const dateWidth = this.measure('regular', size, date);
        t.text('regular', size, date, x + this.width - dateWidth, top, pitch);
      });
    });
  }

  /**
   * 发文机关署名 and 成文日期 (GB/T 9704 §7.3.5.1): the date four characters in from the right, the
   * authority centred above it, two blank lines over them for the seal that covers both.
   */
  seal(authority: string, date: string): Item {
    const pitch = TYPE.bodyPitch;
    const size = TYPE.body;
    return fixedItem(pitch * 4, pitch * 0.5, (t, x, y) => {
      const dateWidth = this.measure('regular', size, date);
      const dateX = x + this.width - 4 * size - dateWidth;
      const authorityWidth = this.measure('regular', size, authority);
      const centre = dateX + dateWidth / 2;
      const authorityX = Math.min(centre - authorityWidth / 2, x + this.width - authorityWidth);
      t.text('regular', size, authority, authorityX, y + pitch * 2, pitch);
      t.text('regular', size, date, dateX, y + pitch * 3, pitch);
    });
  }

  /** Every item of a document's type area, in order. */
  document(doc: PrintableDocument): Item[] {
    const items = this.head(doc);
    const partyLayout = doc.partyLayout ?? 'lines';
    if (doc.party && partyLayout !== 'none') items.push(...this.party(doc.party, partyLayout));
    if (doc.addressee)
      items.push(this.paragraph(`${doc.addressee}：`, { indent: false, spaceBefore: TYPE.bodyPitch * 0.3 }));
    doc.blocks.forEach((block, i) => {
      const joined = i === 0 && !!doc.party && partyLayout === 'fields' && !doc.addressee;
      items.push(...this.block(block, joined));
    });
    return items;
  }
}
