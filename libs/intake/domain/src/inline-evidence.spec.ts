import { createHash, randomBytes } from 'node:crypto';
import { evidenceItemSchema } from './detection.schema';
import { INLINE_EVIDENCE_PLACEHOLDER, splitInlineEvidence } from './inline-evidence';

const allocate = (length: number) => Buffer.alloc(length + 7, 0xee); // larger than asked, as the pool's are
const split = (json: string | Buffer) => splitInlineEvidence(Buffer.from(json), allocate);
const base64 = (bytes: number) => randomBytes(bytes).toString('base64');
const item = (data: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'side',
  contentType: 'image/jpeg',
  sha256: 'ab'.repeat(32),
  data,
  ...extra,
});
const body = (evidence: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ detectionId: 'D-1', lane: 2, plate: { number: '湘F12345' }, ...extra, evidence });

/** What JSON.parse of the whole body gives, with each item's data replaced by the placeholder. */
function withPlaceholders(json: string): unknown {
  const parsed = JSON.parse(json) as { evidence: { data: string }[] };
  for (const e of parsed.evidence) e.data = INLINE_EVIDENCE_PLACEHOLDER;
  return parsed;
}

describe('splitInlineEvidence', () => {
  it('decodes every item’s data from the bytes and leaves the rest of the JSON as it was', () => {
    const datas = [base64(100 * 1024), base64(100 * 1024 + 1), base64(100 * 1024 + 2)];
    const json = body(
      datas.map((d, i) => item(d, { kind: ['plate_front', 'plate_rear', 'side'][i] })),
      { note: { evidence: [{ data: 'not taken: not the root’s' }] } },
    );
    const taken = split(json)!;
    expect(taken.evidence.map((b) => b.toString('base64'))).toEqual(datas);
    expect(JSON.parse(taken.json.toString())).toEqual(withPlaceholders(json));
    expect(taken.json.length).toBeLessThan(1024);
  });

  it('takes a huge field as any other, and JSON with escapes and brackets outside the data', () => {
    const huge = base64(8 * 1024 * 1024);
    const json = `{ "plate" : {"number":"\\u6e58F\\"[{}]\\\\"} ,\n\t"evidence":[ ${JSON.stringify(item(huge, { x: [1, { y: '"}]' }] }))} ] }`;
    const taken = split(json)!;
    expect(taken.evidence[0]!.equals(Buffer.from(huge, 'base64'))).toBe(true);
    expect(JSON.parse(taken.json.toString())).toEqual(withPlaceholders(json));
  });

  it.each([
    ['no evidence', body([])],
    ['no evidence key', JSON.stringify({ lane: 2 })],
    ['an escaped slash in the data', body([item('AB\\/D')]).replace('AB\\\\/D', 'AB\\/D')],
    ['an escaped key', body([item(base64(30))]).replace('"data"', '"d\\u0061ta"')],
    ['an escaped evidence key', body([item(base64(30))]).replace('"evidence"', '"evid\\u0065nce"')],
    [
      'evidence twice',
      body([item(base64(30))]).replace('{', `{"evidence":[${JSON.stringify(item(base64(30)))}],`),
    ],
    ['data twice', body([item(base64(30))]).replace('"data"', `"data":"${base64(30)}","data"`)],
    ['a number as data', body([item(12345678)])],
    ['null as data', body([item(null)])],
    ['an object as data', body([item({ b: 'AAAA' })])],
    ['an array as data', body([item(['AAAA'])])],
    ['an item without data', body([item(base64(30)), { kind: 'side' }])],
    ['an item that is not an object', body([item(base64(30)), 'AAAA'])],
    ['evidence that is not an array', body(item(base64(30)))],
    ['evidence as a string', body('AAAA')],
    ['truncated base64', body([item(base64(30).slice(0, -1))])],
    ['base64 without its padding', body([item(base64(31).replace(/=+$/, ''))])],
    ['URL-alphabet base64', body([item('AB-_AAAA')])],
    ['whitespace in the base64', body([item('AAAA AAA')])],
    ['padding inside the base64', body([item('AA==AAAA')])],
    ['three characters of padding', body([item('A===')])],
    ['too short', body([item('')])],
    ['an array at the root', `[${body([item(base64(30))])}]`],
    ['a byte-order mark', `\ufeff${body([item(base64(30))])}`],
    ['an unterminated string', body([item(base64(30))]).slice(0, 60)],
    ['an unterminated object', body([item(base64(30))]).slice(0, -1)],
    ['a second value after the root', `${body([item(base64(30))])} {}`],
  ])('leaves %s to the whole-body parse (null)', (_case, json) => {
    expect(split(json)).toBeNull();
  });

  it('takes a data string exactly when the schema accepts it: every byte value at every position', () => {
    const schema = evidenceItemSchema.shape.data;
    for (const valid of ['QUJDREVGR0hJ', 'QUJDREVGR0g=', 'QUJDREVGRw==', 'QUJD']) {
      for (let at = 0; at < valid.length; at++) {
        for (let byte = 0; byte < 256; byte++) {
          const data = Buffer.from(valid, 'latin1');
          data[at] = byte;
          const json = Buffer.concat([
            Buffer.from(body([item('@')]).split('@')[0]!),
            data,
            Buffer.from(body([item('@')]).split('@')[1]!),
          ]);
          let whole: { evidence: { data: string }[] } | undefined;
          try {
            whole = JSON.parse(json.toString()) as typeof whole;
          } catch {
            whole = undefined;
          }
          const accepted = whole !== undefined && schema.safeParse(whole.evidence[0]!.data).success;
          const taken = splitInlineEvidence(json, allocate);
          // Taken exactly when the whole-body parse would accept it; then with the same bytes and JSON.
          expect([valid, at, byte, taken !== null]).toEqual([valid, at, byte, accepted]);
          if (taken) {
            expect(taken.evidence[0]!.equals(Buffer.from(whole!.evidence[0]!.data, 'base64'))).toBe(true);
            expect(JSON.parse(taken.json.toString())).toEqual(withPlaceholders(json.toString()));
          }
        }
      }
    }
  });

  it('allocates once for all items and hands out views that hash as the bytes do', () => {
    const images = [randomBytes(1000), randomBytes(2001)];
    const sizes: number[] = [];
    const taken = splitInlineEvidence(
      Buffer.from(body(images.map((b) => item(b.toString('base64'))))),
      (length) => (sizes.push(length), Buffer.alloc(length)),
    )!;
    expect(sizes).toEqual([3001]);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(taken.evidence.map(sha)).toEqual(images.map(sha));
  });
});
