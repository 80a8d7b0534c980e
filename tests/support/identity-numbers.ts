/**
 * Identity numbers of the right format for test parties: a unified social credit code (GB 32100, MOD 31 check
 * character) and a resident identity number (GB 11643, ISO 7064 MOD 11-2), from their first 17 characters.
 */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function uscc(body17: string): string {
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_CHARS.indexOf(body17.charAt(i)), 0);
  return body17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function residentId(body17: string): string {
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(body17[i]), 0);
  return body17 + '10X98765432'[sum % 11];
}

/** A credit code registered in 汨罗市 (430681), unique within a test run by `serial` (up to 8 digits). */
export const usccOf = (serial: number | string): string =>
  uscc(`91430681MA${String(serial).padStart(8, '0').slice(-7)}`);
