/**
 * PGlite has no lock between processes: two processes on one data folder silently lose writes. Keel takes
 * an exclusive lock before opening the folder. The lock is a directory (mkdir is atomic) holding the
 * owner's PID; a lock whose owner is dead (a crash, SIGKILL) is taken over, under a second short-lived
 * directory so that two processes cannot both take over the same stale lock. A server holding the folder
 * also records there how a `keel` command beside it reaches it (handover.json: address and a per-start
 * credential, readable by the owner only), so commands need not wait for it to stop.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeelError } from '../domain/errors.ts';

const LOCK_DIR = '.keel.lock';
const TAKEOVER_DIR = '.keel.lock.takeover';
const HANDOVER_FILE = 'handover.json';
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

export function inUse(dataDir: string, pid: number): KeelError {
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

/** Where a server holding the data folder takes `keel` commands, and the credential it expects. */
export interface Handover {
  pid: number;
  url: string;
  token: string;
}

/** The live process holding the data folder, and its hand-over if it takes commands; null if none holds it. */
export function folderHolder(dataDir: string): { pid: number; handover: Handover | null } | null {
  const lockDir = join(dataDir, LOCK_DIR);
  const pid = readOwner(lockDir);
  if (pid === null || !isAlive(pid)) return null;
  return { pid, handover: readHandover(lockDir, pid) };
}

/**
 * Records this process's hand-over in the lock it holds. Written under another name and renamed, so a reader
 * never sees half a file; created owner-only, as the credential is as good as the data folder itself.
 */
export function publishHandover(dataDir: string, handover: Omit<Handover, 'pid'>): void {
  const lockDir = join(dataDir, LOCK_DIR);
  if (readOwner(lockDir) !== process.pid)
    throw new KeelError('data_folder_locked', `this process does not hold ${dataDir}`);
  const partial = join(lockDir, `${HANDOVER_FILE}.${process.pid}`);
  rmSync(partial, { force: true });
  writeFileSync(partial, JSON.stringify({ pid: process.pid, ...handover }), { mode: 0o600, flag: 'wx' });
  renameSync(partial, join(lockDir, HANDOVER_FILE));
}

export function withdrawHandover(dataDir: string): void {
  const lockDir = join(dataDir, LOCK_DIR);
  if (readOwner(lockDir) === process.pid) rmSync(join(lockDir, HANDOVER_FILE), { force: true });
}

/**
 * The holder's hand-over, trusted only if this user owns the file and no one else can read or write it:
 * the caller sends it passwords, so a file planted by another user must not redirect them.
 */
function readHandover(lockDir: string, pid: number): Handover | null {
  const file = join(lockDir, HANDOVER_FILE);
  try {
    const stat = statSync(file);
    if ((stat.mode & 0o077) !== 0 || (process.getuid && stat.uid !== process.getuid())) return null;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Handover>;
    if (parsed.pid !== pid || typeof parsed.url !== 'string' || typeof parsed.token !== 'string') return null;
    if (!/^http:\/\/127\.0\.0\.1:[0-9]{1,5}$/.test(parsed.url)) return null;
    return { pid, url: parsed.url, token: parsed.token };
  } catch {
    return null;
  }
}
