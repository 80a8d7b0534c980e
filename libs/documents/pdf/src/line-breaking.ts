import type { Font } from 'fontkit';

/**
 * Line breaking for Chinese running text: any two ideographs may be split, Latin words and numbers
 * (湘F12345, 61,250, 430681199001011234) stay whole unless wider than the line, and the punctuation rules
 * of Chinese typesetting (禁则) hold: no line starts with a closing mark (，。、；：！？）》」…) and none ends
 * with an opening one (（《「“). Widths are the fonts' advance widths, cached per face and code point.
 */
export interface TextLine {
  text: string;
  width: number;
  /** the last line of its paragraph (not justified) */
  last: boolean;
}

const NO_LINE_START = new Set([...'，。、；：！？）】》〉」』〕”’…—％,.;:!?)]}%·']);
const NO_LINE_END = new Set([...'（【《〈「『〔“‘([{']);
const WORD = /[A-Za-z0-9@#&*+=_./\\:%'\-,]/;

const advanceCache = new WeakMap<Font, Map<number, number>>();

/** Width of `text` in points at `size`. */
export function textWidth(font: Font, size: number, text: string): number {
  let cache = advanceCache.get(font);
  if (!cache) advanceCache.set(font, (cache = new Map()));
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    let w = cache.get(cp);
    if (w === undefined) cache.set(cp, (w = font.glyphForCodePoint(cp).advanceWidth));
    units += w;
  }
  return (units / font.unitsPerEm) * size;
}

/** The units a line may be broken between, punctuation already bound to its neighbour. */
export function breakUnits(text: string): string[] {
  const units: string[] = [];
  let pendingOpen = '';
  for (const ch of text) {
    const last = units.length - 1;
    if (WORD.test(ch) && last >= 0 && !pendingOpen && WORD.test(units[last]!.slice(-1))) {
      units[last] += ch;
    } else if (NO_LINE_START.has(ch) && last >= 0 && !pendingOpen) {
      units[last] += ch;
    } else if (NO_LINE_END.has(ch)) {
      pendingOpen += ch;
    } else {
      units.push(pendingOpen + ch);
      pendingOpen = '';
    }
  }
  if (pendingOpen) units.push(pendingOpen);
  return units;
}

/**
 * Breaks a paragraph into lines no wider than `width` (the first line `firstWidth`), greedily. An explicit
 * newline ends a line. A unit wider than a whole line is cut by character.
 */
export function breakLines(
  text: string,
  font: Font,
  size: number,
  width: number,
  firstWidth = width,
): TextLine[] {
  const lines: TextLine[] = [];
  for (const part of text.split('\n')) {
    let current = '';
    let currentWidth = 0;
    const limit = () => (lines.length === 0 ? firstWidth : width);
    const push = (last: boolean) => {
      lines.push({ text: current, width: currentWidth, last });
      current = '';
      currentWidth = 0;
    };
    for (const unit of breakUnits(part)) {
      const w = textWidth(font, size, unit);
      if (currentWidth + w <= limit() + 0.01) {
        current += unit;
        currentWidth += w;
        continue;
      }
      if (current) push(false);
      if (w <= limit() + 0.01) {
        current = unit;
        currentWidth = w;
        continue;
      }
      for (const ch of unit) {
        const cw = textWidth(font, size, ch);
        if (current && currentWidth + cw > limit() + 0.01) push(false);
        current += ch;
        currentWidth += cw;
      }
    }
    push(true);
  }
  return lines;
}

/** Extra space between characters that makes a line (not the last of its paragraph) fill `width`. */
export function justifySpacing(line: TextLine, width: number, size: number): number {
  if (line.last) return 0;
  const glyphs = [...line.text].length;
  if (glyphs < 2) return 0;
  const spacing = (width - line.width) / (glyphs - 1);
  // a line cut short before a long word would open visible gaps: left ragged instead
  return spacing > 0 && spacing <= size * 0.15 ? spacing : 0;
}
