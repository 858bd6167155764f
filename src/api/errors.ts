import type { ErrorCode, KeelError } from '../domain/errors.ts';

/**
 * HTTP status for each error code. A `Record` over the closed `ErrorCode` union: the type checker refuses a
 * code without a status, so nothing falls back to a guess.
 */
export const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  // The password was right; the account has a TOTP second factor and the login sent no code.
  second_factor_required: 401,
  csrf: 403,
  forbidden: 403,

  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  bad_request: 400,
  invalid_text: 400,
  invalid_value: 400,
  invalid_key: 400,
  invalid_amount: 400,
  invalid_factor: 400,
  invalid_gap: 400,
  invalid_csv: 400,
  invalid_rows: 400,
  unreadable_file: 400,

  not_found: 404,
  // A deal, company, sub-area or organisation named in the body: the request is well formed but refers to
  // something that is not there, which is a semantic error, not a missing resource at the URL.
  unknown_deal: 422,
  unknown_company: 422,
  unknown_sub_area: 422,
  unknown_organisation: 422,

  duplicate_id: 409,
  // A setup link that was used, expired, never existed, or came after the first admin: gone for good.
  setup_link_invalid: 410,
  duplicate_key: 409,
  idempotency_key_reused: 409,
  cap_exceeded: 409,
  programme_mismatch: 409,
  stale_version: 409,
  // A database uniqueness constraint (SQLSTATE 23505) caught what the use case did not check first.
  conflict: 409,

  // Any other integrity constraint (SQLSTATE class 23): the stored data's own rules refused the value.
  constraint_violation: 422,
  ledger_rule: 422,
  invalid_stage_move: 422,
  committee_decision_required: 422,
  invalid_decision: 422,
  not_before_committee: 422,
  conditions_open: 422,
  invalid_wall_crossing: 422,
  methodology_version_not_raised: 422,
  methodology_version_changed: 422,
  invalid_programme: 422,
  invalid_taxonomy: 422,
  invalid_graph_edit: 422,
  invalid_scenario: 422,
  not_author: 422,
  invalid_participation: 422,
  invalid_permit_move: 422,
  invalid_event: 422,
  invalid_event_study: 422,
  // No selection within the time allowed: the request must change (more time, looser constraints).
  solver_status: 422,

  // The client closed the connection; nobody reads the answer (nginx's "client closed request").
  cancelled: 499,
  internal: 500,
  // The solver itself failed (its worker stopped, or it refused Keel's own model): not the caller's fault.
  solver_error: 500,
  pdf_unavailable: 503,
  mail_failed: 502,
  not_initialised: 503,
  data_folder_locked: 503,
  migration_changed: 503,
  invalid_port: 500,
  port_in_use: 500,
  // Workstream: scope, separation of duties and accounts (issue 13, defects 1, 11, 13).
  // A role change that cannot happen: unknown state, same role, or a request that is no longer open.
  invalid_role_change: 422,
  // An account change that would do harm, e.g. an admin disabling their own account.
  invalid_account_change: 422,
  // Committee workstream (issue 13: programme versions against the ledger, the committee as the only door).
  cap_already_exceeded: 422,
  historical_import_required: 422,
  committee_approval_required: 422,
  // Four eyes: the requester of a wall-crossing, a role change or a committee decision cannot approve it.
  separation_of_duties: 403,
  conflict_of_interest: 422,
  already_voted: 409,
  quorum_not_met: 422,
  // Bounded resources (issue 13, workstream "resources"): a user's heavy jobs are all in use; Retry-After says when to try again.
  too_many_jobs: 429,
  // A limit set in the environment (KEEL_*_WORKERS and friends) is not a number Keel can use.
  invalid_config: 500,
  // Tamper evidence (issue 13, defect 7): checkpoints and the audit signing key.
  invalid_checkpoint: 422,
  // `keel audit checkpoint` refuses to sign a chain that does not verify.
  audit_chain_broken: 409,
  // The server's own key file is missing or unusable: an operator's matter, not the caller's.
  no_audit_key: 503,
  invalid_audit_key: 503,
  // Credit book (issue 16, workstream "credit"): inputs to schedules, day counts and risk figures.
  invalid_date: 400,
  invalid_period: 400,
  invalid_rate: 400,
  invalid_schedule: 400,
  invalid_irb_input: 400,
  invalid_ccf: 400,
  // A grade that is not on the scale of data/credit/grade-scale.json.
  invalid_grade: 400,
  invalid_pd: 400,
  invalid_lgd: 400,
  invalid_portfolio: 400,
  not_a_lending_deal: 422,
  // Portfolio credit risk: no lending exposure to simulate; the programme's factor correlations are not a
  // correlation matrix (its file is wrong: an operator's matter, not the caller's).
  empty_portfolio: 422,
  invalid_factor_correlations: 500,
  // Operations (issue 19): backups and restores. CLI-only today; statuses for when an API exposes them.
  backup_target_not_empty: 409,
  restore_target_not_empty: 409,
  backup_unreadable: 422,
  backup_unavailable: 503,
  backup_failed: 503,
  // Deal amendments (issue 15).
  nothing_changed: 422,
  reason_required: 422,
};

export function statusForKeelError(error: KeelError): number {
  return STATUS[error.code];
}

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export function errorBody(
  error: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorBody {
  return { error, message, details };
}
