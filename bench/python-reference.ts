/** The benchmarks' reference side: Debian's python3 with a Debian package (installed here if missing). */
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export function ensureDebianPython(module: string, debianPackage: string): void {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`installing Debian's ${debianPackage} for the reference…\n`);
    execFileSync(
      'bash',
      [
        '-c',
        `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage} >/dev/null`,
      ],
      { stdio: 'inherit' },
    );
  }
}

/** Runs a reference script with arguments; it prints one JSON object. */
export function runPython<T>(script: string, ...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })) as T;
}
