/**
 * The vertical flow: blocks become items (a paragraph, a row of cells, a signature area) with a height;
 * items fill pages of the type area, splitting where they may (between lines of a paragraph, between
 * lines of a row's cells) and setting a table's header row again on each page it runs onto.
 */
export interface Item {
  height: number;
  /** its first piece that cannot be split (one line, one row of text): what must fit for it to start */
  minHeight: number;
  /** space above it, dropped at the top of a page */
  spaceBefore: number;
  /** starts a page only together with the first piece of the next item (headings, table headers) */
  keepWithNext?: boolean;
  /** a table row: the header row set again at the top of a page the table runs onto */
  header?: Item;
  /** the part that fits in `available` and the rest; null when it cannot be split there */
  split?(available: number): [Item, Item] | null;
  draw(target: DrawTarget, x: number, y: number): void;
}

/** What items draw on: the PDF document (kept abstract so that layout can be tested without it). */
export interface DrawTarget {
  text(
    face: 'regular' | 'bold',
    size: number,
    text: string,
    x: number,
    lineTop: number,
    pitch: number,
    spacing?: number,
  ): void;
  rect(x: number, y: number, width: number, height: number, lineWidth: number): void;
  line(x1: number, y1: number, x2: number, y2: number, lineWidth: number, dash?: number): void;
}

export interface Placed {
  item: Item;
  /** distance from the top of the type area */
  y: number;
}

const EPSILON = 0.01;

export function paginate(items: readonly Item[], pageHeight: number): Placed[][] {
  const pages: Placed[][] = [[]];
  let y = 0;
  let fresh = true; // nothing but a repeated header on this page yet
  const place = (item: Item, gap: number) => {
    y += gap;
    pages[pages.length - 1]!.push({ item, y });
    y += item.height;
  };
  const newPage = (header?: Item) => {
    pages.push([]);
    y = 0;
    fresh = true;
    if (header) place(header, 0);
  };

  for (let i = 0; i < items.length; i++) {
    let item = items[i]!;
    const next = items[i + 1];
    for (;;) {
      const gap = y === 0 ? 0 : item.spaceBefore;
      const room = pageHeight - y - gap;
      const need = item.keepWithNext && next ? item.height + next.spaceBefore + next.minHeight : item.height;
      if (need <= room + EPSILON || (fresh && item.height <= room + EPSILON)) {
        place(item, gap);
        fresh = false;
        break;
      }
      const parts = item.split && item.minHeight <= room + EPSILON ? item.split(room) : null;
      if (parts) {
        place(parts[0], gap);
        item = parts[1];
        newPage(item.header);
        continue;
      }
      if (fresh) {
        // taller than a page and not splittable: it gets the page to itself
        place(item, gap);
        fresh = false;
        break;
      }
      newPage(item.header);
    }
  }
  return pages;
}
