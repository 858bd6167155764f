/**
 * What a durable job can be: each kind names its input schema (the one its route validates with, so one
 * parser checks the request when it is queued and the stored input when a runner reads it), who may run it
 * (checked when queued and again at run time, as the owner is then), and the work itself.
 */
import type { z } from 'zod';
import { jsonText } from '../../domain/json-text.ts';
import type { Actor, AppContext } from '../context.ts';

export interface JobRunControl {
  id: string;
  signal: AbortSignal;
  /** `detail` is the progress as the kind's own stream shows it (sent as the `progress` event). */
  onProgress(done: number, total: number, detail?: unknown, last?: boolean): void;
  /** The upload queued with the job (imports' file), read once by the runner. */
  upload?: string;
}

export interface JobOutcome {
  /** JSON-safe (bigints as decimal strings, as the API sends them). */
  result?: unknown;
  /** A binary result (a PDF): downloaded as is. */
  bytes?: { data: Uint8Array; contentType: string; fileName: string };
  done?: number;
  total?: number;
}

export interface JobKind<I = unknown> {
  name: string;
  /** The pg-boss queue it waits in: imports hold a database transaction, so they have a queue of their own. */
  queue: string;
  input: z.ZodType<I>;
  /** Throws when `actor` may not run it (forbidden); the job's owner is checked again when it runs. */
  authorize(actor: Actor, input: I): void;
  /** A kind that writes is refused to a read-scoped token, when queued and when run. */
  writes: boolean;
  run(ctx: AppContext, actor: Actor, input: I, control: JobRunControl): Promise<JobOutcome>;
  /** What the job is called in messages ("import", "projection"). */
  label: string;
  /** What a failed or cancelled job left behind, as told: "nothing was imported". */
  noEffect: string;
  /** Told after the outcome was written, once, by the runner that wrote it. */
  onFinished?(ctx: AppContext, job: FinishedJob): Promise<void>;
}

export interface FinishedJob {
  id: string;
  kind: string;
  owner: string;
  status: 'done' | 'failed' | 'cancelled';
  result?: unknown;
  error?: string;
}

const registry = new Map<string, JobKind>();

export function registerJobKind<I>(kind: JobKind<I>): JobKind<I> {
  registry.set(kind.name, kind as unknown as JobKind);
  return kind;
}

export function jobKind(name: string): JobKind | undefined {
  return registry.get(name);
}

export function jobQueues(): string[] {
  return [...new Set([...registry.values()].map((k) => k.queue))];
}

/** Bigints as decimal strings: a result is stored and sent as the API's JSON (api/serialize.ts toJson). */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(jsonText(value));
}
