/**
 * In one process: ns per detection id, `uuidv7` against the former `newDetectionId` (kept below for the comparison),
 * for ids of successive milliseconds and of one millisecond, four rounds alternating.
 * `node --conditions=@ecc/source -r @swc-node/register tests/bench/uuidv7.ts`.
 */
import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@ecc/shared-data';

/** The former id maker: randomBytes per id and a BigInt loop for the 48-bit time prefix. */
function formerId(at: Date): string {
  const bytes = randomBytes(16);
  const ms = BigInt(at.getTime());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const N = 500_000;
let sink = 0;
function nsPerId(make: (at: Date) => string, sameMs: boolean): number {
  const base = Date.now();
  const dates = Array.from({ length: 1024 }, (_, i) => new Date(base + (sameMs ? 0 : i)));
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += make(dates[i & 1023]!).length;
  return Number(process.hrtime.bigint() - start) / N;
}
for (let round = 1; round <= 4; round++) {
  const figures = [
    ['former', nsPerId(formerId, false)],
    ['uuidv7', nsPerId(uuidv7, false)],
    ['former, one ms', nsPerId(formerId, true)],
    ['uuidv7, one ms', nsPerId(uuidv7, true)],
  ] as const;
  console.log(`round ${round}: ${figures.map(([name, ns]) => `${name} ${ns.toFixed(0)} ns`).join(' · ')}`);
}
if (sink < 0) console.log(sink);
