/** The password rules of domain/passwords.ts, with the shipped lists of common passwords read once. */
import { readFileSync } from 'node:fs';
import { passwordProblem } from '../domain/passwords.ts';
import { COMMON_PASSWORD_STEMS, COMMON_PASSWORDS } from './data-files.ts';

/** A shipped list (data/security/), lower-cased; `#` lines are its source note. */
const readList = (file: string): ReadonlySet<string> =>
  new Set(
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );

let common: ReadonlySet<string> | undefined;
let stems: ReadonlySet<string> | undefined;

/** Common passwords of 15 characters or more (data/security/common-passwords.txt). */
export function commonPasswords(): ReadonlySet<string> {
  common ??= readList(COMMON_PASSWORDS);
  return common;
}

/** Common shorter passwords of letters only (data/security/common-password-stems.txt). */
export function commonPasswordStems(): ReadonlySet<string> {
  stems ??= readList(COMMON_PASSWORD_STEMS);
  return stems;
}

/** One sentence saying what is wrong with a new password for this account, or null. */
export const checkNewPassword = (password: string, accountWords: readonly string[]): string | null =>
  passwordProblem(password, {
    commonPasswords: commonPasswords(),
    commonStems: commonPasswordStems(),
    accountWords,
  });
