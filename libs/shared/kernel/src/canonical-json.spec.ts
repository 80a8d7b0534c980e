import { canonicalJson, digestOf } from './canonical-json';

describe('canonical JSON', () => {
  it('is independent of key order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, undefined] } })).toBe(
      '{"a":{"c":[1,null]},"b":1}',
    );
    expect(digestOf({ x: 1, y: 2 })).toBe(digestOf({ y: 2, x: 1 }));
  });

  it('writes dates as ISO instants and distinguishes values', () => {
    expect(canonicalJson({ at: new Date('2024-11-05T00:31:12Z') })).toBe('{"at":"2024-11-05T00:31:12.000Z"}');
    expect(digestOf({ amount: 500 })).not.toBe(digestOf({ amount: 5000 }));
  });
});
