import { createHash } from 'node:crypto';
import { formBoundary, formEvidence, MalformedFormError, parseForm } from './detection-form';

const part = (boundary: string, name: string, data: string | Buffer, type?: string) =>
  Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
    ),
    Buffer.from(data),
    Buffer.from('\r\n'),
  ]);
const form = (boundary: string, ...parts: Buffer[]) =>
  Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('detection form (multipart/form-data)', () => {
  it('reads the boundary of the content type, quoted or not', () => {
    expect(formBoundary('multipart/form-data; boundary=abc-123')).toBe('abc-123');
    expect(formBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(formBoundary('application/json')).toBeNull();
    expect(formBoundary('multipart/form-data')).toBeNull();
  });

  it('splits the parts by reference, bytes exactly as sent (CRLF inside a part included)', () => {
    const photo = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0xd9]);
    const body = form(
      'XyZ',
      part('XyZ', 'detection', '{"a":1}', 'application/json'),
      part('XyZ', 'side', photo),
    );
    const parts = parseForm(body, 'XyZ');
    expect(parts.map((p) => [p.name, p.contentType])).toEqual([
      ['detection', 'application/json'],
      ['side', null],
    ]);
    expect(parts[0]!.data.toString()).toBe('{"a":1}');
    expect(parts[1]!.data.equals(photo)).toBe(true);
    expect(parts[1]!.data.buffer).toBe(body.buffer); // a view, not a copy
  });

  it('refuses what is not a whole form', () => {
    const ok = form('b', part('b', 'detection', '{}'));
    const refused = (body: Buffer, max?: number) => () => parseForm(body, 'b', max);
    expect(refused(Buffer.from('no delimiter'))).toThrow(MalformedFormError);
    expect(refused(ok.subarray(0, ok.length - 7))).toThrow('no closing delimiter');
    expect(refused(ok.subarray(0, 20))).toThrow('part headers not terminated');
    expect(refused(form('b', part('b', '', 'x')))).toThrow('without a name');
    expect(refused(form('b', part('b', 'side', 'x'), part('b', 'side', 'y')))).toThrow('twice');
    expect(refused(form('b', part('b', 'a', 'x'), part('b', 'c', 'y')), 1)).toThrow('more than 1 parts');
  });

  it('pairs each evidence item with the part named by its kind and checks its digest', () => {
    const front = Buffer.from('front photo');
    const side = Buffer.from('side photo');
    const parts = parseForm(
      form(
        'b',
        part('b', 'detection', '{}'),
        part('b', 'plate_front', front),
        part('b', 'side', side),
        part('b', 'video', 'v'),
      ),
      'b',
    );
    const items = [
      { kind: 'plate_front' as const, contentType: 'image/jpeg' as const, sha256: sha(front) },
      { kind: 'side' as const, contentType: 'image/jpeg' as const, sha256: sha(front) },
      { kind: 'plate_rear' as const, contentType: 'image/jpeg' as const, sha256: sha(front) },
    ];
    const result = formEvidence(items, parts);
    expect(result.decoded.map((d) => [d.kind, d.bytes.toString()])).toEqual([
      ['plate_front', 'front photo'],
      ['side', 'side photo'],
    ]);
    expect(result.mismatches).toEqual([{ index: 1, kind: 'side', declared: sha(front), actual: sha(side) }]);
    expect(result.missing).toEqual(['plate_rear']);
    expect(result.unexpected).toEqual(['video']);
  });
});
