import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password policy beyond length (NIST SP 800-63B §5.1.1.2: check new passwords against values known to be
 * commonly used, and against context-specific words such as the username). No composition rules: they push
 * people to `Password1!`, which the checks below refuse anyway.
 *
 * The list of common passwords is the one zxcvbn-ts maintains (about 49,000 from public breach corpora),
 * plus a few that are common here and in this bureau's context.
 */
const LOCAL_COMMON = [
  'woaini',
  'woaini1314',
  'woaiwojia',
  'aini1314',
  'zhongguo',
  'jiaotong',
  'jiaotongju',
  'zhifa',
  'zhifaju',
  'chaoxian',
  'chaozhong',
  'banan',
  'miluo',
  'hunan',
  'changsha',
  'admin',
  'administrator',
  'ecc',
];

const COMMON = new Set<string>([...dictionary['passwords-common'], ...LOCAL_COMMON]);

/** Reverses the usual letter-for-symbol substitutions, so `P@ssw0rd` is seen as `password`. */
const UNLEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const unleet = (text: string) => text.replace(/[013457@$!]/g, (c) => UNLEET[c]!);

/** The ways a common password is dressed up: case, digits and symbols around it, substitutions, repetition. */
function variants(password: string): string[] {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  const out = [lower, core, unleet(lower), unleet(core), lower.replace(/[^\p{L}\p{N}]+/gu, '')];
  // `qwertyqwerty`, `abc123abc123`: a word repeated
  const repeated = /^(.+?)\1+$/.exec(lower);
  if (repeated) out.push(repeated[1]!);
  return out.filter((v) => v.length >= 3);
}

export type PasswordProblem = 'common' | 'contains_username';

/** What is wrong with a new password, or null. (Length limits are checked by the schema.) */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  if (variants(password).some((v) => COMMON.has(v))) return 'common';
  if (username && username.length >= 3) {
    const lower = password.toLowerCase();
    const name = username.toLowerCase();
    if (lower.includes(name) || lower.includes([...name].reverse().join(''))) return 'contains_username';
  }
  return null;
}

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  common: 'is one of the most commonly used passwords (or one dressed up with digits or symbols)',
  contains_username: 'must not contain the username',
};
