import { linesItem, rowItem, type Cell, type PlacedLine, type TextStyle } from './items';
import { paginate, type DrawTarget, type Item } from './pagination';
import { TYPE } from './page-style';

const style: TextStyle = { face: 'regular', size: 10, pitch: 10, align: 'left' };
const lines = (n: number, prefix = 'l'): PlacedLine[] =>
  Array.from({ length: n }, (_, i) => ({
    text: `${prefix}${i}`,
    width: 10,
    last: i === n - 1,
    offset: 0,
    room: 100,
  }));

/** What the items would draw: the texts in order per page. */
function texts(pages: ReturnType<typeof paginate>): string[][] {
  return pages.map((placed) => {
    const out: string[] = [];
    const target: DrawTarget = {
      text: (_f, _s, t) => void out.push(t),
      rect: () => undefined,
      line: () => undefined,
    };
    for (const p of placed) p.item.draw(target, 0, p.y);
    return out;
  });
}

describe('pagination', () => {
  it('splits a long paragraph between lines, exactly as many lines per page as fit', () => {
    const pages = paginate([linesItem(lines(95), style, 0)], 200);
    expect(pages.map((p) => p[0]!.item.height / 10)).toEqual([20, 20, 20, 20, 15]);
    expect(texts(pages).flat()).toEqual(lines(95).map((l) => l.text));
  });

  it('leaves no single line of a paragraph alone on a page', () => {
    const filler = linesItem(lines(19, 'f'), style, 0);
    const pages = paginate([filler, linesItem(lines(5), style, 0)], 200);
    // one line would fit after the filler: the paragraph starts on the next page instead
    expect(texts(pages)).toEqual([lines(19, 'f').map((l) => l.text), lines(5).map((l) => l.text)]);
    const widow = paginate([linesItem(lines(17, 'f'), style, 0), linesItem(lines(4), style, 0)], 200);
    expect(texts(widow).map((p) => p.length)).toEqual([19, 2]);
  });

  it('drops the space above an item at the top of a page', () => {
    const pages = paginate([linesItem(lines(20), style, 0), linesItem(lines(2, 'n'), style, 30)], 200);
    expect(pages[1]![0]!.y).toBe(0);
  });

  it('keeps a heading with the first line of what follows', () => {
    const heading = linesItem(lines(1, 'h'), style, 0, true);
    const pages = paginate(
      [linesItem(lines(19, 'f'), style, 0), heading, linesItem(lines(3), style, 0)],
      200,
    );
    expect(texts(pages)[1]![0]).toBe('h0');
  });

  it('splits the cells of a tall row together and repeats the table header on the next page', () => {
    const cell = (x: number, n: number, prefix: string): Cell => ({
      x,
      width: 100,
      lines: lines(n, prefix),
      style: { ...style, pitch: TYPE.cellPitch },
      valign: 'top',
      minLines: 1,
    });
    const header = rowItem([cell(0, 1, 'H'), cell(100, 1, 'K')], 0, undefined, true);
    const rows: Item[] = Array.from({ length: 3 }, (_, i) =>
      rowItem([cell(0, 1, `n${i}-`), cell(100, 30, `v${i}-`)], 0, header),
    );
    const pages = paginate([header, ...rows], 300);
    const drawn = texts(pages);
    expect(drawn.length).toBeGreaterThan(3);
    for (const page of drawn.slice(1)) expect(page.slice(0, 2)).toEqual(['H0', 'K0']);
    // nothing lost, nothing twice
    const body = drawn.flat().filter((t) => !/^[HK]0$/.test(t));
    expect(body).toHaveLength(3 * 31);
    expect(new Set(body).size).toBe(body.length);
  });

  it('gives an unsplittable item taller than a page a page of its own instead of looping', () => {
    const tall: Item = { height: 500, minHeight: 500, spaceBefore: 0, draw: () => undefined };
    expect(paginate([linesItem(lines(3), style, 0), tall, linesItem(lines(3), style, 0)], 200)).toHaveLength(
      3,
    );
  });
});
