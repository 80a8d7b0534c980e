import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, version 7, 12 bits `rand_a`, variant 10, 62 bits `rand_b`.
 * Ids made by `uuidv7` sort by their millisecond, and within a millisecond of one process in the order they were
 * made: `rand_a` and the top 30 bits of `rand_b` are a counter (RFC 9562 §6.2, method 1) started at a random value
 * below half its range each new millisecond and counted up by one per id; the last 32 bits are random per id.
 */

/** Two hex digits of every byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number): string =>
  HEX[n >>> 24]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
const hex4 = (n: number): string => HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;

const TWO_16 = 0x1_0000;
const TWO_30 = 0x4000_0000;
const MAX_MS = 2 ** 48 - 1;
/** The counter: `rand_a` (12 bits) above the top 30 bits of `rand_b`, 42 bits in all. */
const COUNTER_LIMIT = 2 ** 42;

/** Random 32-bit words, drawn 1,024 at a time: one call into the CSPRNG per few hundred ids. */
const entropy = new Uint32Array(1024);
let nextWord = entropy.length;
function randomWord(): number {
  if (nextWord === entropy.length) {
    randomFillSync(entropy);
    nextWord = 0;
  }
  return entropy[nextWord++]!;
}

let lastMs = -1;
let counter = 0;

function timePrefix(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) throw new RangeError(`not a UUIDv7 instant: ${ms}`);
  return `${hex8(Math.floor(ms / TWO_16))}-${hex4(ms % TWO_16)}`;
}

/**
 * A new UUIDv7 of the instant `at` (whatever clock the caller reads): inside `at`'s millisecond's range of ids, and
 * above every id this process made before for the same millisecond.
 */
export function uuidv7(at: Date): string {
  const ms = at.getTime();
  if (ms === lastMs && counter + 1 < COUNTER_LIMIT) {
    counter++;
  } else {
    if (ms === lastMs) throw new RangeError(`UUIDv7 counter exhausted within ${at.toISOString()}`);
    // 41 random bits: the counter starts in the lower half of its range, leaving 2^41 ids to count up.
    counter = (randomWord() >>> 23) * 2 ** 32 + randomWord();
    lastMs = ms;
  }
  const randA = Math.floor(counter / TWO_30); // 12 bits
  const high = counter % TWO_30; // the top 30 bits of rand_b
  return `${timePrefix(ms)}-${(0x7000 | randA).toString(16)}-${hex4(0x8000 | (high >>> 16))}-${hex4(high & 0xffff)}${hex8(randomWord())}`;
}

/** The lowest UUIDv7 of a millisecond: 48 bits of Unix milliseconds, every other bit zero (a bound, not an id). */
export function uuidv7Floor(at: Date): string {
  return `${timePrefix(at.getTime())}-0000-0000-000000000000`;
}

/** The instant a UUIDv7 was made (its first 48 bits). */
export function uuidv7Instant(id: string): Date {
  return new Date(parseInt(id.slice(0, 8), 16) * TWO_16 + parseInt(id.slice(9, 13), 16));
}

/** The uuid right after `id` (as a 128-bit number plus one), lower-case. */
export function nextUuid(id: string): string {
  const digits = id.toLowerCase().split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] === '-') continue;
    const value = parseInt(digits[i]!, 16) + 1;
    if (value < 16) {
      digits[i] = value.toString(16);
      return digits.join('');
    }
    digits[i] = '0';
  }
  throw new RangeError(`no uuid after ${id}`);
}
