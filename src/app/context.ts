import type { KeelDatabase } from '../db/connect.ts';

/** Who acts: a user id, or `cli:<login>` for the command line. Every audited write names one. */
export type Actor = string;

export interface AppContext {
  database: KeelDatabase;
}

/** Progress of long work (imports, loads): called with rows done and rows in all. */
export type Progress = (done: number, total: number) => void;
