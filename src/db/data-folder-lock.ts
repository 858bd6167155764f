/**
 * PGlite has no lock between processes: two processes on one data folder silently lose writes. Keel takes
 * an exclusive lock before opening the folder. The lock is a directory (mkdir is atomic) holding the
 * owner's PID; a lock whose owner is dead (a crash, SIGKILL) is taken over, under a second short-lived
 * directory so that two processes cannot both take over the same stale lock.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeelError } from '../domain/errors.ts';

const LOCK_DIR = '.keel.lock';
const TAKEOVER_DIR = '.keel.lock.takeover';
/** A takeover directory older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

export interface DataFolderLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tryCreate(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(lockDir, 'pid'), `${process.pid}\n`);
  return true;
}

function inUse(dataDir: string, pid: number): KeelError {
  return new KeelError(
    'data_folder_locked',
    `the Keel data folder ${dataDir} is in use by another Keel process (PID ${pid}); stop it first or set KEEL_DATA to another folder`,
    { pid },
  );
}

export function lockDataFolder(dataDir: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const lockDir = join(dataDir, LOCK_DIR);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(lockDir)) return holding(lockDir);
    const owner = readOwner(lockDir);
    if (owner === process.pid)
      throw new KeelError('data_folder_locked', `this process already holds ${dataDir}`);
    if (owner !== null && isAlive(owner)) throw inUse(dataDir, owner);
    // The owner is dead, or is between mkdir and writing its PID: take over only if still stale under
    // the takeover lock.
    if (owner === null) {
      sleepMs(20);
      if (readOwner(lockDir) === null && ageMs(lockDir) < 2_000) continue;
    }
    takeOverStale(dataDir, lockDir, owner);
  }
  throw new KeelError('data_folder_locked', `could not lock ${dataDir}: the lock kept changing hands`);
}

function takeOverStale(dataDir: string, lockDir: string, staleOwner: number | null): void {
  const takeover = join(dataDir, TAKEOVER_DIR);
  try {
    mkdirSync(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(takeover) > TAKEOVER_STALE_MS) rmSync(takeover, { recursive: true, force: true });
    else sleepMs(20);
    return;
  }
  try {
    if (readOwner(lockDir) === staleOwner) {
      const grave = `${lockDir}.stale-${process.pid}-${Date.now()}`;
      renameSync(lockDir, grave);
      rmSync(grave, { recursive: true, force: true });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    rmSync(takeover, { recursive: true, force: true });
  }
}

function holding(lockDir: string): DataFolderLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOwner(lockDir) === process.pid) rmSync(lockDir, { recursive: true, force: true });
  };
  process.on('exit', release);
  return { release };
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
