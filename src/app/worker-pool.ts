/**
 * A pool of worker threads of one kind: at most `size` threads, created on demand, handed to one piece of
 * work at a time; work beyond the size waits its turn (first come, first served) and can be cancelled while
 * it waits. Waiting work is served fairly between owners (users): the next free thread goes to the owner
 * with the fewest threads busy, then to the one served longest ago, so one user's sixteen projections do
 * not starve another's one. A thread idle for `idleMs` is stopped, so a burst of work leaves no threads
 * (and their memory) behind. Work that cannot finish (cancelled mid-computation, or the thread failed)
 * discards its thread instead of returning it; the next piece of work gets a fresh one.
 */
import type { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';

export interface PoolStats {
  kind: string;
  size: number;
  /** Threads alive: busy plus idle. */
  live: number;
  busy: number;
  waiting: number;
}

export interface Lease {
  worker: Worker;
  /** Stop this thread when the work ends instead of returning it (it is mid-computation or broken). */
  discard(): void;
}

interface Waiter {
  owner: string;
  grant(worker: Worker): void;
  fail(error: Error): void;
}

const POOLS: WorkerPool[] = [];

/** Every pool's counts: how tests and benchmarks see that no computation outlived its request. */
export function workerPoolStats(): PoolStats[] {
  return POOLS.map((pool) => pool.stats());
}

export class WorkerPool {
  private idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private busy = new Map<Worker, string>();
  private dead = new WeakSet<Worker>();
  private waiters: Waiter[] = [];
  /** When each owner was last given a thread (a count of grants), for turns between owners. */
  private lastGrant = new Map<string, number>();
  private grants = 0;

  constructor(
    readonly kind: string,
    private readonly create: () => Worker,
    private size: number,
    private idleMs: number,
  ) {
    POOLS.push(this);
  }

  configure(options: { size: number; idleMs: number }): void {
    this.size = options.size;
    this.idleMs = options.idleMs;
    while (this.idle.length && this.live() > this.size) this.stopIdle(this.idle[0]!.worker);
  }

  stats(): PoolStats {
    return {
      kind: this.kind,
      size: this.size,
      live: this.live(),
      busy: this.busy.size,
      waiting: this.waiters.length,
    };
  }

  /**
   * Runs `work` on a thread of the pool once one is free. `cancelled` makes the error thrown when the signal
   * aborts while waiting; once the work runs, stopping it on abort is the work's job (see Lease.discard).
   */
  async use<R>(
    options: { signal?: AbortSignal | undefined; cancelled: () => Error; owner?: string | undefined },
    work: (lease: Lease) => Promise<R>,
  ): Promise<R> {
    const worker = await this.acquire(options.owner ?? '', options.signal, options.cancelled);
    let discard = false;
    try {
      return await work({ worker, discard: () => (discard = true) });
    } finally {
      this.release(worker, discard);
    }
  }

  /** Stops every thread (tests, shutdown); waiting work is refused. */
  async close(): Promise<void> {
    const workers = [...this.idle.map((i) => i.worker), ...this.busy.keys()];
    for (const { timer } of this.idle) clearTimeout(timer);
    this.idle = [];
    this.busy.clear();
    for (const waiter of this.waiters.splice(0))
      waiter.fail(new KeelError('cancelled', `the ${this.kind} pool was closed`));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private live(): number {
    return this.idle.length + this.busy.size;
  }

  private acquire(owner: string, signal: AbortSignal | undefined, cancelled: () => Error): Promise<Worker> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const ready = this.idle.pop();
    if (ready) {
      clearTimeout(ready.timer);
      return Promise.resolve(this.lend(ready.worker, owner));
    }
    if (this.live() < this.size) return Promise.resolve(this.lend(this.spawn(), owner));
    return new Promise<Worker>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(cancelled());
      };
      const waiter: Waiter = {
        owner,
        grant: (worker) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(worker);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private spawn(): Worker {
    const worker = this.create();
    worker.on('error', () => this.dead.add(worker));
    worker.on('exit', () => {
      this.dead.add(worker);
      const at = this.idle.findIndex((i) => i.worker === worker);
      if (at >= 0) {
        clearTimeout(this.idle[at]!.timer);
        this.idle.splice(at, 1);
      }
    });
    return worker;
  }

  private lend(worker: Worker, owner: string): Worker {
    this.busy.set(worker, owner);
    this.lastGrant.set(owner, ++this.grants);
    worker.ref(); // busy threads keep the process alive until their work ends
    return worker;
  }

  private release(worker: Worker, discard: boolean): void {
    const owner = this.busy.get(worker);
    this.busy.delete(worker);
    worker.unref();
    worker.removeAllListeners('message');
    // A thread goes back only if it is sound and the pool has not been made smaller meanwhile.
    const reusable = !discard && !this.dead.has(worker) && this.live() < this.size;
    if (!reusable) void worker.terminate();
    if (this.waiters.length && (reusable || this.live() < this.size)) {
      const next = this.nextWaiter();
      next.grant(this.lend(reusable ? worker : this.spawn(), next.owner));
      return;
    }
    // An owner with nothing busy and nothing waiting is forgotten (the map stays as small as the queue).
    if (owner !== undefined && ![...this.busy.values(), ...this.waiters.map((w) => w.owner)].includes(owner))
      this.lastGrant.delete(owner);
    if (!reusable) return;
    const timer = setTimeout(() => this.stopIdle(worker), this.idleMs);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  /**
   * The longest-waiting work of the owner with the fewest threads busy, and among those the owner served
   * longest ago: owners take turns even when the pool has one thread.
   */
  private nextWaiter(): Waiter {
    const busyOf = new Map<string, number>();
    for (const owner of this.busy.values()) busyOf.set(owner, (busyOf.get(owner) ?? 0) + 1);
    const rank = (w: Waiter) => [busyOf.get(w.owner) ?? 0, this.lastGrant.get(w.owner) ?? 0] as const;
    let best = 0;
    for (let i = 1; i < this.waiters.length; i++) {
      const [busy, last] = rank(this.waiters[i]!);
      const [bestBusy, bestLast] = rank(this.waiters[best]!);
      if (busy < bestBusy || (busy === bestBusy && last < bestLast)) best = i;
    }
    return this.waiters.splice(best, 1)[0]!;
  }

  private stopIdle(worker: Worker): void {
    const at = this.idle.findIndex((i) => i.worker === worker);
    if (at < 0) return;
    clearTimeout(this.idle[at]!.timer);
    this.idle.splice(at, 1);
    void worker.terminate();
  }
}
