/**
 * Password rules after NIST SP 800-63B (revision 4, §3.1.1.2): length is what counts, so at least 15
 * characters and up to 256 accepted, any character (spaces and Unicode included), no composition rules
 * (no "one digit, one capital"); refused when the password is a commonly used one (the shipped list), a
 * common short one padded with digits or symbols or repeated (the shipped stems), one character repeated, a
 * simple sequence, or the account's own name or email. Length is counted in
 * characters (Unicode code points), not UTF-16 units.
 */

export const PASSWORD_MIN_CHARACTERS = 15;
export const PASSWORD_MAX_CHARACTERS = 256;

/** Runs of keys a person types without thinking: alphabet, digits, keyboard rows. Each also reversed. */
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertyuiopasdfghjklzxcvbnm',
];

export interface PasswordContext {
  /** Lower-cased common passwords (the shipped list). */
  commonPasswords: ReadonlySet<string>;
  /** Lower-cased common shorter passwords of letters only ("password", "dragon"): padded, they stay weak. */
  commonStems?: ReadonlySet<string>;
  /** The account's own words (id, email, name): a password may not be one of them. */
  accountWords?: readonly string[];
}

const characters = (text: string) => [...text];

/** A text made only of one short unit repeated (`aaaa…`, `abab…`, `abcabc…`). */
function isRepetition(text: string): boolean {
  const chars = characters(text);
  for (let unit = 1; unit <= 4; unit++) {
    if (chars.length < unit * 3) break;
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** A run along the alphabet, the digits or a keyboard row, forwards or backwards, wrapping round. */
function isSequence(text: string): boolean {
  return SEQUENCES.some((sequence) => {
    const reversed = [...sequence].reverse().join('');
    return [sequence, reversed].some((s) => s.repeat(Math.ceil(text.length / s.length) + 1).includes(text));
  });
}

/** Digits and symbols typed for the letters they look like, between two letters ("p4ssw0rd"). */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
};

/**
 * A common short password made long by padding: its letters, once the look-alikes between letters are read
 * as letters and the digits and symbols around them dropped, are a common stem ("password12345678",
 * "!!!dragon2024!!!", "p4ssword12345678"), a stem repeated ("password1password1"), or a stem of six letters
 * or more with one or two letters more ("password12345678x"). A passphrase's other words are more than that.
 */
function isPaddedStem(squeezed: string, stems: ReadonlySet<string>): boolean {
  // Read both ways: "password1password1" is a stem repeated only with its 1s dropped, "p4ssword" only with
  // its 4 read as a letter.
  const read = squeezed.replace(/(?<=\p{L})[4@31!05$7](?=\p{L})/gu, (c) => LOOK_ALIKES[c] ?? c);
  return [squeezed, read].some((text) => lettersAreStem(text.replace(/[^\p{L}]+/gu, ''), stems));
}

function lettersAreStem(letters: string, stems: ReadonlySet<string>): boolean {
  if (letters.length < 4) return false;
  if (stems.has(letters)) return true;
  for (let unit = 4; unit <= letters.length / 2; unit++) {
    if (letters.length % unit !== 0) continue;
    const stem = letters.slice(0, unit);
    if (stems.has(stem) && stem.repeat(letters.length / unit) === letters) return true;
  }
  for (let extra = 1; extra <= 2; extra++) {
    const length = letters.length - extra;
    if (length < 6) break;
    if (stems.has(letters.slice(0, length)) || stems.has(letters.slice(extra))) return true;
  }
  return false;
}

/** What is wrong with a prospective password, as one sentence, or null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const length = characters(password).length;
  if (length < PASSWORD_MIN_CHARACTERS)
    return `must be at least ${PASSWORD_MIN_CHARACTERS} characters (a few words with spaces work well)`;
  if (length > PASSWORD_MAX_CHARACTERS) return `must be at most ${PASSWORD_MAX_CHARACTERS} characters`;
  const lower = password.toLowerCase();
  const squeezed = lower.replace(/\s+/g, '');
  if (isRepetition(squeezed)) return 'is one character (or a few) repeated; choose something harder to guess';
  if (isSequence(squeezed))
    return 'is a simple sequence (like 123456… or qwerty…); choose something harder to guess';
  if (context.commonPasswords.has(lower) || context.commonPasswords.has(squeezed))
    return 'is on the list of commonly used passwords; choose another';
  if (context.commonStems && isPaddedStem(squeezed, context.commonStems))
    return 'is a commonly used password with digits or symbols added (like password12345678); choose something harder to guess';
  const own = (context.accountWords ?? [])
    .map((w) => w.toLowerCase().replace(/\s+/g, ''))
    .filter((w) => w.length > 0);
  if (own.some((w) => squeezed === w || squeezed === w.split('@')[0]))
    return 'may not be the account’s own id, name or email';
  return null;
}
