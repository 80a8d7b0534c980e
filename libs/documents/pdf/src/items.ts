import { justifySpacing, type TextLine } from './line-breaking';
import type { DrawTarget, Item } from './pagination';
import { FOOTER, TYPE } from './page-style';

export type Face = 'regular' | 'bold';
export type Align = 'justify' | 'left' | 'center' | 'right';

/** A line of text placed at an offset within a box `width` wide. */
export interface PlacedLine extends TextLine {
  offset: number;
  /** the width the line may fill (for justification and right/centre alignment) */
  room: number;
}

export interface TextStyle {
  face: Face;
  size: number;
  pitch: number;
  align: Align;
}

function drawLines(target: DrawTarget, lines: readonly PlacedLine[], style: TextStyle, x: number, y: number) {
  lines.forEach((l, i) => {
    let dx = l.offset;
    let spacing = 0;
    if (style.align === 'justify') spacing = justifySpacing(l, l.room, style.size);
    else if (style.align === 'center') dx += (l.room - l.width) / 2;
    else if (style.align === 'right') dx += l.room - l.width;
    target.text(style.face, style.size, l.text, x + dx, y + i * style.pitch, style.pitch, spacing);
  });
}

/**
 * Running text: lines that may be split between pages, at least two lines on each side when the
 * paragraph has four or more (no widow, no orphan); a shorter one moves whole.
 */
export function linesItem(
  lines: PlacedLine[],
  style: TextStyle,
  spaceBefore: number,
  keepWithNext = false,
): Item {
  const n = lines.length;
  return {
    height: n * style.pitch,
    minHeight: Math.min(n, n >= 4 ? 2 : n) * style.pitch,
    spaceBefore,
    keepWithNext,
    split(available) {
      let k = Math.floor(available / style.pitch + 1e-6);
      if (n < 4) return null;
      k = Math.min(k, n - 2);
      if (k < 2) return null;
      return [
        linesItem(lines.slice(0, k), style, spaceBefore),
        linesItem(lines.slice(k), style, 0, keepWithNext),
      ];
    },
    draw: (target, x, y) => drawLines(target, lines, style, x, y),
  };
}

/** One cell of a row of a form or table, its text already broken into lines. */
export interface Cell {
  x: number;
  width: number;
  lines: PlacedLine[];
  style: TextStyle;
  valign: 'top' | 'middle';
  /** lines of room kept for handwriting */
  minLines: number;
}

/**
 * A row of bordered cells. Its cells split together, line by line, when the row runs over a page; the
 * continuation is a row of its own on the next page (after the table's header, when it has one).
 */
export function rowItem(cells: Cell[], spaceBefore: number, header?: Item, keepWithNext = false): Item {
  const pad = TYPE.cellPadding;
  const linesOf = (c: Cell) => Math.max(c.lines.length, c.minLines);
  const contentHeight = Math.max(...cells.map((c) => linesOf(c) * c.style.pitch));
  const pitch = Math.max(...cells.map((c) => c.style.pitch));
  return {
    height: contentHeight + 2 * pad,
    minHeight: Math.min(contentHeight, pitch) + 2 * pad,
    spaceBefore,
    keepWithNext,
    ...(header ? { header } : {}),
    split(available) {
      const k = Math.floor((available - 2 * pad) / pitch + 1e-6);
      if (k < 1 || cells.every((c) => linesOf(c) <= k)) return null;
      const first = cells.map((c) => ({
        ...c,
        lines: c.lines.slice(0, k),
        minLines: Math.min(c.minLines, k),
      }));
      const rest = cells.map((c) => ({
        ...c,
        lines: c.lines.slice(k),
        minLines: Math.max(0, c.minLines - k),
      }));
      return [rowItem(first, spaceBefore, header), rowItem(rest, 0, header, keepWithNext)];
    },
    draw(target, x, y) {
      const height = contentHeight + 2 * pad;
      for (const c of cells) {
        target.rect(x + c.x, y, c.width, height, FOOTER.lineWidth);
        const used = c.lines.length * c.style.pitch;
        const dy = c.valign === 'middle' ? (height - used) / 2 : pad;
        drawLines(target, c.lines, c.style, x + c.x + pad, y + dy);
      }
    },
  };
}

/** Something drawn as a whole that never splits (a signature area, a seal and date). */
export function fixedItem(height: number, spaceBefore: number, draw: Item['draw']): Item {
  return { height, minHeight: height, spaceBefore, draw };
}
