import type { KeelError } from '../domain/errors.ts';

/** HTTP status for each domain error code; anything unknown is the client's fault only if Keel said so. */
const STATUS: Record<string, number> = {
  unauthenticated: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  duplicate_id: 409,
  duplicate_key: 409,
  idempotency_key_reused: 409,
  cap_exceeded: 409,
  programme_mismatch: 409,
  ledger_rule: 422,
  invalid_stage_move: 422,
  committee_decision_required: 422,
  invalid_decision: 422,
  conditions_open: 422,
  invalid_wall_crossing: 422,
  methodology_version_not_raised: 422,
  methodology_version_changed: 422,
  stale_version: 409,
  invalid_graph_edit: 422,
  invalid_scenario: 422,
  not_author: 422,
  invalid_participation: 422,
  invalid_permit_move: 422,
  invalid_event: 422,
  invalid_event_study: 422,
  unknown_organisation: 422,
  // No selection within the time allowed: the request must change (more time, looser constraints).
  solver_status: 422,
  // The solver itself failed (its worker stopped, or it refused Keel's own model): not the caller's fault.
  solver_error: 500,
  pdf_unavailable: 503,
  not_initialised: 503,
  data_folder_locked: 503,
  // Operations (issue 19): backups and restores. CLI-only today; statuses for when an API exposes them.
  backup_target_not_empty: 409,
  restore_target_not_empty: 409,
  backup_unreadable: 422,
  backup_unavailable: 503,
  backup_failed: 503,
};

export function statusForKeelError(error: KeelError): number {
  return STATUS[error.code] ?? 400;
}

export interface ErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}

export function errorBody(error: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error, message, details };
}
