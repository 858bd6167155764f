/**
 * Every error code Keel may answer with, as one closed union: a code the type checker does not know cannot
 * be thrown, and the HTTP status table (`src/api/errors.ts`) is a `Record<ErrorCode, number>`, so adding a
 * code here without giving it a status does not compile.
 */
export type ErrorCode =
  // Who is asking, and may they
  | 'unauthenticated'
  | 'second_factor_required'
  | 'csrf'
  | 'forbidden'
  // The request itself (shape, size, encoding), found before any use case runs
  | 'invalid_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'bad_request'
  | 'invalid_text'
  | 'invalid_value'
  | 'invalid_key'
  | 'invalid_amount'
  | 'invalid_factor'
  | 'invalid_gap'
  | 'invalid_csv'
  | 'invalid_rows'
  | 'unreadable_file'
  // What the request names does not exist
  | 'not_found'
  | 'unknown_deal'
  | 'unknown_company'
  | 'unknown_sub_area'
  | 'unknown_organisation'
  // It conflicts with what is stored
  | 'duplicate_id'
  | 'setup_link_invalid'
  | 'duplicate_key'
  | 'idempotency_key_reused'
  | 'cap_exceeded'
  | 'programme_mismatch'
  | 'stale_version'
  | 'conflict'
  // It breaks a domain rule
  | 'constraint_violation'
  | 'ledger_rule'
  | 'invalid_stage_move'
  | 'committee_decision_required'
  | 'invalid_decision'
  | 'not_before_committee'
  | 'conditions_open'
  | 'invalid_wall_crossing'
  | 'methodology_version_not_raised'
  | 'methodology_version_changed'
  | 'invalid_programme'
  | 'invalid_taxonomy'
  | 'invalid_graph_edit'
  | 'invalid_scenario'
  | 'not_author'
  | 'invalid_participation'
  | 'invalid_permit_move'
  | 'invalid_event'
  | 'invalid_event_study'
  | 'solver_status'
  | 'separation_of_duties'
  | 'invalid_role_change'
  | 'invalid_account_change'
  | 'cap_already_exceeded'
  | 'historical_import_required'
  | 'committee_approval_required'
  | 'conflict_of_interest'
  | 'already_voted'
  | 'quorum_not_met'
  | 'too_many_jobs'
  | 'invalid_config'
  | 'invalid_checkpoint'
  | 'audit_chain_broken'
  | 'no_audit_key'
  | 'invalid_audit_key'
  | 'invalid_date'
  | 'invalid_period'
  | 'invalid_rate'
  | 'invalid_schedule'
  | 'invalid_irb_input'
  | 'invalid_ccf'
  | 'invalid_grade'
  | 'invalid_pd'
  | 'invalid_lgd'
  | 'invalid_portfolio'
  | 'not_a_lending_deal'
  | 'empty_portfolio'
  | 'invalid_factor_correlations'
  | 'backup_target_not_empty'
  | 'restore_target_not_empty'
  | 'backup_unreadable'
  | 'backup_unavailable'
  | 'backup_failed'
  // The client went away, or Keel (not the client) could not do it
  | 'cancelled'
  | 'internal'
  | 'solver_error'
  | 'pdf_unavailable'
  | 'mail_failed'
  | 'not_initialised'
  | 'data_folder_locked'
  | 'migration_changed'
  | 'invalid_port'
  | 'port_in_use'
  // Deal amendments (issue 15): an edit that changes nothing; a change to what the ledger counts by, without its reason.
  | 'nothing_changed'
  | 'reason_required';

/**
 * Input broke a rule: `code` is stable (tests, API error bodies, exit codes), `message` is one sentence a
 * person can act on. These are never bugs; bugs fail `invariant` instead.
 */
export class KeelError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KeelError';
  }
}

/** An internal invariant: if it fails, Keel has a bug, and it stops rather than write something wrong. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}
