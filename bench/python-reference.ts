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
  return runPythonWith<T>(PYTHON, script, ...args);
}

/** The same with another interpreter (a second numpy, built against another BLAS). */
export function runPythonWith<T>(python: string, script: string, ...args: string[]): T {
  return JSON.parse(execFileSync(python, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })) as T;
}

/** A `python3` on PATH other than Debian's that has numpy (pip's wheels bundle OpenBLAS), or null. */
export function otherNumpyPython(): string | null {
  try {
    const path = execFileSync('python3', ['-c', 'import sys, numpy; print(sys.executable)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return path && path !== PYTHON ? path : null;
  } catch {
    return null;
  }
}
