import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIGURES, STATISTICS_GROUPS } from './figures';

describe('the figures of the statistics', () => {
  it('have unique keys, a definition and at least the total', () => {
    expect(new Set(FIGURES.map((f) => f.key)).size).toBe(FIGURES.length);
    for (const f of FIGURES) {
      expect(f.definition.length).toBeGreaterThan(10);
      for (const g of f.groups) expect(STATISTICS_GROUPS).toContain(g);
    }
  });

  it('are each defined in docs/statistics.md, as the response defines them', () => {
    // table cells without the padding that aligns them
    const doc = readFileSync(resolve(__dirname, '../../../../docs/statistics.md'), 'utf8').replace(
      / *\| */g,
      '|',
    );
    const missing = FIGURES.filter((f) => !doc.includes(`|\`${f.key}\`|${f.label}|${f.unit}|`));
    expect(missing.map((f) => f.key)).toEqual([]);
  });

  it('break stocks down by station, case type and officer but never by month', () => {
    for (const key of ['cases.openAtEnd', 'fines.outstanding']) {
      expect(FIGURES.find((f) => f.key === key)!.groups).toEqual(['station', 'caseType', 'officer']);
    }
  });
});
