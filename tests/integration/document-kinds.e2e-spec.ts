import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DOCUMENT_CODES } from '@ecc/cases-data';
import { DOCUMENT_FORMS } from '@ecc/documents-domain';
import { DocumentKind } from '@ecc/shared-data';

/**
 * docs/documents.md lists every document kind with its number code: each kind the schema stores (numbered by
 * the cases' DOCUMENT_CODES) and each form the PDF renderer knows (DOCUMENT_FORMS), with the same code in all
 * three places. A kind added to the schema or the renderer without its row here fails this test.
 */

const table = (): Map<string, { name: string; code: string }> => {
  const doc = readFileSync(resolve(__dirname, '../../docs/documents.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## The document kinds'), doc.indexOf('## The model'));
  const rows = new Map<string, { name: string; code: string }>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const kind = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (kind) rows.set(kind, { name: cells[2]!, code: cells[3]! });
  }
  return rows;
};

describe('the document kinds in docs/documents.md', () => {
  const rows = table();

  it('has a row for every kind the schema stores, with the code that numbers it', () => {
    const stored = Object.values(DocumentKind);
    expect(stored.length).toBeGreaterThan(10);
    for (const kind of stored) {
      expect({ kind, code: rows.get(kind)?.code }).toEqual({ kind, code: DOCUMENT_CODES[kind] });
    }
  });

  it('has a row for every form the PDF prints, with its name and code', () => {
    for (const [kind, form] of Object.entries(DOCUMENT_FORMS)) {
      expect({ kind, ...rows.get(kind) }).toEqual({ kind, name: form.name, code: form.code });
    }
  });

  it('gives every stored kind that has a form the form’s code, and no two kinds one code', () => {
    for (const kind of Object.values(DocumentKind)) {
      const form = (DOCUMENT_FORMS as Record<string, { code: string }>)[kind];
      if (form) expect({ kind, code: DOCUMENT_CODES[kind] }).toEqual({ kind, code: form.code });
    }
    const codes = [...rows.values()].map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
