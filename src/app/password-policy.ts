/** The password rules of domain/passwords.ts, with the shipped list of common passwords read once. */
import { readFileSync } from 'node:fs';
import { passwordProblem } from '../domain/passwords.ts';
import { COMMON_PASSWORDS } from './data-files.ts';

let common: ReadonlySet<string> | undefined;

/** The shipped list (data/security/common-passwords.txt), lower-cased; `#` lines are its source note. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );
  return common;
}

/** One sentence saying what is wrong with a new password for this account, or null. */
export const checkNewPassword = (password: string, accountWords: readonly string[]): string | null =>
  passwordProblem(password, { commonPasswords: commonPasswords(), accountWords });
