import { describe, expect, it } from 'vitest';
import { checkNewPassword, commonPasswordStems, commonPasswords } from '../../src/app/password-policy.ts';
import { PASSWORD_MIN_CHARACTERS, passwordProblem } from '../../src/domain/passwords.ts';

const common = new Set(['passwordpassword', 'iloveyouiloveyou']);
const problem = (password: string, accountWords: string[] = []) =>
  passwordProblem(password, { commonPasswords: common, accountWords });

describe('password rules (NIST SP 800-63B rev. 4)', () => {
  it('counts characters, not UTF-16 units: 15 is the least', () => {
    expect(PASSWORD_MIN_CHARACTERS).toBe(15);
    expect(problem('aaaaaaaaaaaa')).toMatch(/at least 15 characters/);
    expect(problem('😀'.repeat(7) + 'x')).toMatch(/at least 15/); // 8 characters, 15 UTF-16 units
    expect(problem('correct horse battery staple')).toBeNull();
  });

  it('has no composition rules', () => {
    expect(problem('all lower case words')).toBeNull();
    expect(problem('ALL UPPER CASE WORDS')).toBeNull();
  });

  it('refuses repetitions and simple sequences, spaces or not', () => {
    expect(problem('a'.repeat(20))).toMatch(/repeated/);
    expect(problem('ab ab ab ab ab ab ab ab')).toMatch(/repeated/);
    expect(problem('7890123456789012')).toMatch(/sequence/);
    expect(problem('ponmlkjihgfedcba')).toMatch(/sequence/);
  });

  it('refuses the list without regard to case or spaces, and the account’s own words', () => {
    expect(problem('PasswordPassword')).toMatch(/commonly used/);
    expect(problem('i love you i love you')).toMatch(/commonly used/);
    expect(problem('Ana.Lopez@Example.org', ['ana.lopez@example.org'])).toMatch(/own id/);
  });

  it('the shipped list is real and does not hold the fixtures’ passphrase', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(9_000);
    expect(list.has('1qaz2wsx3edc4rfv')).toBe(true);
    expect(list.has('correct horse battery staple')).toBe(false);
    expect(list.has('correcthorsebatterystaple')).toBe(false);
  });

  it('refuses a common short password padded with digits or symbols, or repeated, and no more than that', () => {
    const stems = new Set(['password', 'dragon']);
    const padded = (password: string) =>
      passwordProblem(password, { commonPasswords: common, commonStems: stems });
    for (const weak of ['password12345678', 'Password1234567!', '2024!!Dragon2024!!', 'dragon dragon dragon'])
      expect(padded(weak), weak).toMatch(/commonly used password with digits or symbols added/);
    // Other words, or letters past the stem, make it more than padding.
    for (const fine of [
      'password of the tungsten desk',
      'dragonfly 12345678',
      'correct horse battery staple',
    ])
      expect(padded(fine), fine).toBeNull();
  });

  // Found by the fresh-eyes attack: a letter among the padding, look-alike digits, a padded stem repeated.
  it('reads look-alikes between letters, and a stem with a letter or two more, as padding too', () => {
    for (const weak of [
      'password12345678x',
      'p4ssword12345678',
      'password1password1',
      'dragon2024dragon2024',
    ])
      expect(checkNewPassword(weak, []), weak).toMatch(/commonly used password with digits or symbols added/);
    // And stays fast on an adversarial 256-character password (no backtracking blow-up).
    const started = performance.now();
    for (let i = 0; i < 200; i++) checkNewPassword('a1'.repeat(128), []);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('the shipped stems are real: the found weak password is refused by the policy itself', () => {
    const stems = commonPasswordStems();
    expect(stems.size).toBe(10_000);
    expect(stems.has('password')).toBe(true);
    // Found by a new user's pass over the web app (issue 15): accepted before the stems were shipped.
    expect(checkNewPassword('password12345678', [])).toMatch(/digits or symbols added/);
    expect(checkNewPassword('correct horse battery staple', [])).toBeNull();
  });
});
