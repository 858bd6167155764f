/**
 * Kysely's view of the tables in migrations/. int8 arrives as bigint, numeric and dates as strings. Columns
 * that hold one of the domain's closed sets are typed with its union (the CHECK constraints or the use cases'
 * zod parsers keep the stored values inside it), so a query comparing them with an unknown string does not
 * type-check and reads need no casts.
 */
import type { ColumnType, Generated } from 'kysely';
import type { Decision, Vote } from '../domain/committee.ts';
import type { REFERENCE_RATES } from '../domain/credit/facility-terms.ts';
import type { Classification } from '../domain/deal.ts';
import type { Instrument } from '../domain/instruments.ts';
import type { EntryKind } from '../domain/ledger.ts';
import type { Cents } from '../domain/money.ts';
import type {
  ORGANISATION_KINDS,
  PARTICIPANT_ROLES,
  ParticipationStatus,
  RELATIONSHIP_KINDS,
} from '../domain/network.ts';
import type { PERMIT_KINDS, PermitStage } from '../domain/permitting.ts';
import type { AwardStage } from '../domain/public-record/peer-award.ts';
import type { Role, Scope } from '../domain/roles.ts';
import type { SavedViewPage } from '../domain/saved-views.ts';
import type { Stage } from '../domain/stages.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** Exact cents: read as the domain's `Cents`; any bigint may be written (the use cases checked it). */
type CentsColumn = ColumnType<Cents, bigint, bigint>;
/** Exact cents where an amount may be unknown (a public report that does not state it). */
type OptionalCentsColumn = ColumnType<Cents | null, bigint | null, bigint | null>;

export interface ProgrammeVersionsTable {
  version: number;
  programme_id: string;
  methodology_version: number;
  document: ColumnType<unknown, string, string>;
  document_sha256: string;
  loaded_at: Defaulted<string>;
  loaded_by: string;
}

export interface AreasTable {
  id: string;
  name: string;
  description: string;
}

export interface SubAreasTable {
  id: string;
  area_id: string;
  name: string;
  description: string;
  publicly_named: boolean;
  source_note: string;
}

export interface CompaniesTable {
  id: string;
  name: string;
  us_based: boolean;
  hq_city: string | null;
  hq_state_fips: string | null;
  hq_county_fips: string | null;
  ticker: string | null;
  existing_client: boolean;
  ownership_note: string | null;
  foreign_control: boolean;
  foreign_control_note: string | null;
  source: string;
  synthetic: boolean;
  created_at: Defaulted<string>;
  /** natural_sort_key(name), kept by the database (migration 0034): "co-9" before "co-10". */
  name_sort: ColumnType<string, never, never>;
}

export interface FacilitiesTable {
  id: Generated<bigint>;
  company_id: string;
  name: string;
  kind: string;
  city: string | null;
  state_fips: string;
  county_fips: string | null;
  jobs: ColumnType<number | null, number | null | undefined, number | null>;
  source: string;
}

export interface DealsTable {
  id: string;
  company_id: string;
  sub_area_id: string;
  instrument: Instrument;
  amount_cents: CentsColumn;
  currency: Defaulted<string>;
  stage: Stage;
  classification: Classification;
  opened_on: string;
  announced_on: string | null;
  team: ColumnType<string[], string, string>;
  source: string;
  synthetic: boolean;
  created_at: Defaulted<string>;
  resilience_score: ColumnType<string | null, number | null | undefined, number | null>;
  expected_return: ColumnType<string | null, number | null | undefined, number | null>;
  risk_score: ColumnType<string | null, number | null | undefined, number | null>;
  /** Set for a deal brought in at a later stage (admin only): the decision taken outside Keel. */
  historical_decision_ref: Defaulted<string | null>;
  /** The deal's own name ("Antimony smelter restart"); null for deals opened before names (0022). */
  name: Defaulted<string | null>;
}

export interface DealStageMovesTable {
  id: Generated<bigint>;
  deal_id: string;
  from_stage: Stage | null;
  to_stage: Stage;
  moved_at: Defaulted<string>;
  moved_by: string;
}

/** One field of a deal changed after it was opened (0023): append-only. */
export interface DealAmendmentsTable {
  id: Generated<bigint>;
  deal_id: string;
  field: string;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  amended_at: Defaulted<string>;
  amended_by: string;
}

/** A markdown note on a deal or a company (0024): private side, append-only. */
export interface PipelineNotesTable {
  id: Generated<bigint>;
  subject_kind: 'deal' | 'company';
  subject_id: string;
  body_md: string;
  author: string;
  created_at: Defaulted<string>;
}

export interface DocumentContentsTable {
  sha256: string;
  size_bytes: number;
  content: Uint8Array;
  stored_at: Defaulted<string>;
}

export interface DocumentsTable {
  id: Generated<bigint>;
  subject_kind: 'deal' | 'company' | 'committee_meeting';
  subject_id: string;
  title: string;
  filename: string;
  media_type: string;
  sha256: string;
  version: number;
  uploaded_by: string;
  uploaded_at: Defaulted<string>;
}

export interface LedgerEntriesTable {
  seq: Generated<bigint>;
  client_key: string;
  deal_id: string;
  kind: EntryKind;
  amount_cents: CentsColumn;
  effective_on: string;
  note: string | null;
  recorded_at: Defaulted<string>;
  recorded_by: string;
}

/** A deal's balance per kind, kept beside the ledger (migration 0048); for valuations, the latest mark. */
export interface DealBalancesTable {
  deal_id: string;
  kind: EntryKind;
  total_cents: CentsColumn;
  last_seq: bigint;
}

export interface CapUsageTable {
  cap_id: string;
  scope_key: string;
  limit_cents: CentsColumn;
  used_cents: ColumnType<Cents, bigint | undefined, bigint>;
}

export interface IdempotencyKeysTable {
  /** `principal:<id>` for a client's key, `server` for a key the server made, `legacy` for unattributed old rows. */
  owner: string;
  key: string;
  action: string;
  request_sha256: string;
  response: string | null;
  created_at: Defaulted<string>;
  /** The job whose run claimed the key (migration 0049); null for a request's own write. */
  job_id: Defaulted<string | null>;
}

export interface AuditLogTable {
  seq: bigint;
  prev_hash: string;
  hash: string;
  body: string;
}

export interface AuditHeadTable {
  id: number;
  seq: bigint;
  hash: string;
  /** The last row's time (migration 0050): no row is dated before it. */
  at: Defaulted<string>;
}

/** Signed audit heads (migration 0015); see app/audit-checkpoint.ts. */
export interface AuditCheckpointsTable {
  id: Generated<bigint>;
  seq: bigint;
  hash: string;
  signed_at: string;
  public_key: string;
  signature: string;
}

export interface CommitmentTotalsTable {
  instrument: Instrument;
  classification: Classification;
  sub_area_id: string;
  year: number;
  net_cents: CentsColumn;
}

export interface CommitteeAgendaTable {
  id: Generated<bigint>;
  deal_id: string;
  meeting_on: string;
  source: string;
  added_by: string;
  added_at: Defaulted<string>;
  removed_at: Defaulted<string | null>;
  removed_by: Defaulted<string | null>;
}

export interface CommitteeDecisionsTable {
  id: Generated<bigint>;
  deal_id: string;
  decision: Decision;
  votes: ColumnType<unknown, string, string>;
  conflicts: ColumnType<unknown, string, string>;
  conditions: ColumnType<unknown, string, string>;
  decided_on: string;
  recorded_by: string;
  recorded_at: Defaulted<string>;
  cycle_move_id: Defaulted<bigint | null>;
  reference: Defaulted<string | null>;
  quorum: Defaulted<number | null>;
  /** The deal's amount an approval covers (0032); null for a decline or a deferral. */
  approved_amount_cents: Defaulted<bigint | null>;
}

export interface CommitteeVotesTable {
  id: Generated<bigint>;
  deal_id: string;
  cycle_move_id: bigint;
  member_id: string;
  vote: Vote;
  cast_at: Defaulted<string>;
  decision_id: Defaulted<bigint | null>;
}

export interface CommitteeConflictsTable {
  deal_id: string;
  cycle_move_id: bigint;
  member_id: string;
  note: string;
  declared_by: string;
  declared_at: Defaulted<string>;
}

export interface RateLimitHitsTable {
  key: string;
  window_started_at: string;
  hits: number;
}

export interface JobsTable {
  id: string;
  /** The registry's name: 'import.companies', 'projection', … (app/jobs/kinds.ts). */
  kind: string;
  owner: string;
  scope: 'read' | 'write' | null;
  /** The API token that started it (migration 0047); null for a session or the CLI. */
  token_id: Defaulted<string | null>;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  done: Defaulted<number>;
  total: Defaulted<number>;
  /** jsonb: written as JSON text, read parsed. */
  input: ColumnType<unknown, string | undefined, string>;
  progress: ColumnType<unknown, string | null | undefined, string | null>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  result_bytes: Uint8Array | null;
  error: string | null;
  cancel_requested: Defaulted<boolean>;
  runner: string | null;
  heartbeat_at: string | null;
  attempts: Defaulted<number>;
  created_at: Defaulted<string>;
  finished_at: string | null;
}

export interface JobUploadsTable {
  job_id: string;
  content: string;
}

export interface SchemaMigrationsTable {
  version: string;
  sha256: string;
  applied_at: Defaulted<string>;
}

export interface Schema extends SecuritySchema {
  jobs: JobsTable;
  job_uploads: JobUploadsTable;
  programme_versions: ProgrammeVersionsTable;
  areas: AreasTable;
  sub_areas: SubAreasTable;
  companies: CompaniesTable;
  rate_limit_hits: RateLimitHitsTable;
  facilities: FacilitiesTable;
  deals: DealsTable;
  deal_stage_moves: DealStageMovesTable;
  deal_amendments: DealAmendmentsTable;
  pipeline_notes: PipelineNotesTable;
  saved_views: SavedViewsTable;
  document_contents: DocumentContentsTable;
  documents: DocumentsTable;
  ledger_entries: LedgerEntriesTable;
  deal_balances: DealBalancesTable;
  cap_usage: CapUsageTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  schema_migrations: SchemaMigrationsTable;
  commitment_totals: CommitmentTotalsTable;
  committee_agenda: CommitteeAgendaTable;
  committee_decisions: CommitteeDecisionsTable;
  committee_votes: CommitteeVotesTable;
  committee_conflicts: CommitteeConflictsTable;
  research_graph_versions: ResearchGraphVersionsTable;
  research_scenarios: ResearchScenariosTable;
  research_scenario_runs: ResearchScenarioRunsTable;
  research_notes: ResearchNotesTable;
  organisations: OrganisationsTable;
  relationships: RelationshipsTable;
  deal_participations: DealParticipationsTable;
  permits: PermitsTable;
  permit_events: PermitEventsTable;
  council_meetings: CouncilMeetingsTable;
  council_recommendations: CouncilRecommendationsTable;
  staff: StaffTable;
  hiring_plan: HiringPlanTable;
  prices: PricesTable;
  capacity_additions: CapacityAdditionsTable;
  credit_facilities: CreditFacilitiesTable;
  credit_facility_terms: CreditFacilityTermsTable;
  credit_obligor_grades: CreditObligorGradesTable;
  credit_covenants: CreditCovenantsTable;
  credit_borrower_financials: CreditBorrowerFinancialsTable;
  credit_watchlist_actions: CreditWatchlistActionsTable;
  credit_rate_fixings: CreditRateFixingsTable;
  credit_questions: CreditQuestionsTable;
  credit_question_votes: CreditQuestionVotesTable;
  credit_question_conflicts: CreditQuestionConflictsTable;
  public_statements: PublicStatementsTable;
  reported_deals: ReportedDealsTable;
  peer_awards: PeerAwardsTable;
  demo_flag: DemoFlagTable;
  notifications: NotificationsTable;
  mail_outbox: MailOutboxTable;
}

/** What a user is told about a change that concerns them (0026). */
export interface NotificationsTable {
  id: Generated<bigint>;
  recipient: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  text: string;
  created_at: Defaulted<string>;
  read_at: string | null;
}

/** E-mail waiting for the sender loop (0026). */
export interface MailOutboxTable {
  id: Generated<bigint>;
  notification_id: bigint;
  to_address: string;
  subject: string;
  body: string;
  status: Defaulted<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Defaulted<number>;
  next_attempt_at: Defaulted<string>;
  claimed_until: string | null;
  last_error: string | null;
  created_at: Defaulted<string>;
  sent_at: string | null;
}

export interface CapacityAdditionsTable {
  id: Generated<bigint>;
  deal_id: string;
  material_id: string;
  capacity: string;
  unit: string;
  online_year: number;
  source: string;
  created_by: string;
}

export interface DemoFlagTable {
  only_row: Generated<boolean>;
  seed: number;
  deals: number;
  source: string;
  as_of: ColumnType<string, string, string>;
  flagged_at: Generated<Date>;
  seeded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Reference-rate fixings as published (0042): percent per year, never replaced. */
export interface CreditRateFixingsTable {
  reference: (typeof REFERENCE_RATES)[number];
  fixed_on: string;
  rate_percent: string;
  source: string;
  imported_by: string;
  imported_at: Defaulted<string>;
}

export interface PricesTable {
  ticker: string;
  day: string;
  close: string;
  source: string;
}

export interface PermitsTable {
  id: Generated<bigint>;
  deal_id: string;
  kind: (typeof PERMIT_KINDS)[number];
  agency: string;
  jurisdiction: string;
  note: string | null;
  created_by: string;
}

export interface PermitEventsTable {
  id: Generated<bigint>;
  permit_id: bigint;
  stage: PermitStage;
  on_date: string;
  recorded_by: string;
}

export interface CouncilMeetingsTable {
  id: Generated<bigint>;
  held_on: string;
  title: string;
  agenda: ColumnType<unknown, string, string>;
  created_by: string;
}

export interface CouncilRecommendationsTable {
  id: Generated<bigint>;
  meeting_id: bigint;
  text: string;
  owner: string;
  status: string;
  due_on: string | null;
  updated_by: string;
  updated_at: Defaulted<string>;
}

export interface StaffTable {
  id: string;
  name: string;
  kind: string;
  sub_areas: ColumnType<string[], string, string>;
  companies: ColumnType<string[], string, string>;
  joined_on: string;
  left_on: string | null;
}

export interface HiringPlanTable {
  sub_area_id: string;
  year: number;
  headcount: number;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  kind: (typeof ORGANISATION_KINDS)[number];
  country: string;
  controlled_from: string | null;
  company_id: string | null;
  source: string;
  created_by: string;
  created_at: Defaulted<string>;
}

export interface RelationshipsTable {
  id: Generated<bigint>;
  kind: (typeof RELATIONSHIP_KINDS)[number];
  from_organisation: string | null;
  from_person: string | null;
  to_organisation: string;
  business_line: string | null;
  percent: string | null;
  deal_id: string | null;
  since: string | null;
  until: string | null;
  source: string;
  created_by: string;
  created_at: Defaulted<string>;
}

export interface DealParticipationsTable {
  id: Generated<bigint>;
  deal_id: string;
  organisation_id: string;
  role: (typeof PARTICIPANT_ROLES)[number];
  instrument: Instrument;
  amount_cents: CentsColumn;
  arranged_by_bank: boolean;
  status: ParticipationStatus;
  counted_deal_id: string | null;
  source: string;
  created_by: string;
  updated_at: Defaulted<string>;
}

export interface ResearchGraphVersionsTable {
  version: number;
  graph: ColumnType<unknown, string, string>;
  note: string;
  created_by: string;
  created_at: Defaulted<string>;
}

export interface ResearchScenariosTable {
  id: string;
  definition: ColumnType<unknown, string, string>;
  shipped: Defaulted<boolean>;
  updated_by: string;
  updated_at: Defaulted<string>;
}

export interface ResearchScenarioRunsTable {
  id: Generated<bigint>;
  scenario_id: string;
  graph_version: number;
  definition: ColumnType<unknown, string, string>;
  result: ColumnType<unknown, string, string>;
  ran_by: string;
  ran_at: Defaulted<string>;
}

export interface ResearchNotesTable {
  id: Generated<bigint>;
  title: string;
  body_md: string;
  author: string;
  status: string;
  side: string;
  subject_kind: string;
  subject_id: string;
  created_at: Defaulted<string>;
  updated_at: Defaulted<string>;
}

export interface SavedViewsTable {
  id: Generated<bigint>;
  owner: string;
  page: SavedViewPage;
  name: string;
  query: string;
  saved_at: Defaulted<string>;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: Defaulted<boolean>;
  created_at: Defaulted<string>;
  disabled_at: string | null;
  disabled_by: string | null;
  /** TOTP second factor (migration 0021): base32 secret, required once confirmed, last accepted time step. */
  totp_secret: string | null;
  totp_confirmed_at: string | null;
  totp_last_step: bigint | null;
}

export interface SessionsTable {
  token_sha256: string;
  user_id: string;
  csrf_token: string;
  created_at: Defaulted<string>;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_sha256: string;
  scope: Scope;
  created_at: Defaulted<string>;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface WallCrossingsTable {
  id: Generated<bigint>;
  user_id: string;
  deal_id: string;
  reason: string;
  requested_by: string;
  requested_at: Defaulted<string>;
  status: Defaulted<string>;
  decided_by: string | null;
  decided_at: string | null;
  expires_at: string | null;
  requested_days: Defaulted<number>;
}

export interface RoleChangeRequestsTable {
  id: Generated<bigint>;
  user_id: string;
  from_role: Role;
  to_role: Role;
  reason: string;
  requested_by: string;
  requested_at: Defaulted<string>;
  status: Defaulted<string>;
  decided_by: string | null;
  decided_at: string | null;
}

/** One-time links that create the first admin (migration 0021). */
export interface SetupLinksTable {
  token_sha256: string;
  created_at: Defaulted<string>;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  /** Set for a password-reset link: the user whose password it sets. Null for a first-admin link. */
  user_id: Defaulted<string | null>;
}

export interface SecuritySchema {
  users: UsersTable;
  setup_links: SetupLinksTable;
  role_change_requests: RoleChangeRequestsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  wall_crossings: WallCrossingsTable;
}

/** Credit book (migration 0017). */
export interface CreditFacilitiesTable {
  id: string;
  deal_id: string;
  created_by: string;
  created_at: Defaulted<string>;
}

export interface CreditFacilityTermsTable {
  facility_id: string;
  version: number;
  terms: ColumnType<unknown, string, string>;
  commitment_cents: CentsColumn;
  starts_on: string;
  maturity_on: string;
  day_count: string;
  committee_decision_id: bigint | null;
  credit_question_id: Defaulted<bigint | null>;
  recorded_by: string;
  recorded_at: Defaulted<string>;
}

/** An obligor's risk grade as assigned, with who and why (0033); append-only. */
export interface CreditObligorGradesTable {
  id: Generated<bigint>;
  company_id: string;
  grade: number;
  reason: string;
  assigned_by: string;
  assigned_at: Defaulted<string>;
}

/** Covenants of a facility (0036): threshold ×1000 for ratios, cents for liquidity. */
export interface CreditCovenantsTable {
  id: Generated<bigint>;
  facility_id: string;
  kind: string;
  threshold: ColumnType<bigint, bigint, bigint>;
  first_test_on: string;
  every_months: number;
  created_by: string;
  created_at: Defaulted<string>;
}

/** A borrower's financials for a period (0036), exact cents. */
export interface CreditBorrowerFinancialsTable {
  company_id: string;
  period_end: string;
  ebitda_cents: CentsColumn;
  net_debt_cents: CentsColumn;
  cfads_cents: CentsColumn;
  debt_service_cents: CentsColumn;
  liquidity_cents: CentsColumn;
  recorded_by: string;
  recorded_at: Defaulted<string>;
  /** 1 as first entered; each correction a version more, with its reason (0044). */
  version: Defaulted<number>;
  correction_reason: string | null;
}

/** The committee's action on a covenant breach (0036). */
export interface CreditWatchlistActionsTable {
  id: Generated<bigint>;
  covenant_id: bigint;
  test_on: string;
  action: string;
  /** Actions recorded before 0037 name a committee decision; later ones their credit question. */
  committee_decision_id: Defaulted<bigint | null>;
  credit_question_id: Defaulted<bigint | null>;
  note: string;
  recorded_by: string;
  recorded_at: Defaulted<string>;
}

/** A question put to the committee about a facility (0037), with its decision once recorded. */
export interface CreditQuestionsTable {
  id: Generated<bigint>;
  facility_id: string;
  kind: string;
  covenant_id: bigint | null;
  test_on: string | null;
  proposed_terms: ColumnType<unknown, string | null, never>;
  base_version: number | null;
  summary: string;
  meeting_on: string;
  put_by: string;
  put_at: Defaulted<string>;
  decision: Defaulted<string | null>;
  votes: ColumnType<unknown, never, string>;
  conflicts: ColumnType<unknown, never, string>;
  conditions: ColumnType<unknown, never, string>;
  quorum: Defaulted<number | null>;
  decided_on: Defaulted<string | null>;
  decided_by: Defaulted<string | null>;
  decided_at: Defaulted<string | null>;
}

export interface CreditQuestionVotesTable {
  question_id: bigint;
  member_id: string;
  vote: Vote;
  cast_at: Defaulted<string>;
}

export interface CreditQuestionConflictsTable {
  question_id: bigint;
  member_id: string;
  note: string;
  declared_at: Defaulted<string>;
}

export interface PublicStatementsTable {
  path: string;
  issued_on: string;
  title: string;
  source_url: string;
  topics: ColumnType<string[], string, string>;
  body: string;
}

export interface ReportedDealsTable {
  id: string;
  reported_on: string;
  company: string;
  instrument: string;
  reported_amount_cents: OptionalCentsColumn;
  own_amount_cents: OptionalCentsColumn;
  amount_basis: string | null;
  roles: ColumnType<string[], string, string>;
  sub_area_text: string;
  sub_area_id: string;
  status: 'verified' | 'unverified';
  precursor: boolean;
  state_fips: string | null;
  county_fips: string | null;
  sources: ColumnType<unknown, string, string>;
  deal_id: string | null;
  origin: string;
  recorded_by: string;
  recorded_at: Defaulted<string>;
}

export interface PeerAwardsTable {
  id: string;
  programme: string;
  programme_id: string;
  recipient: string;
  technology: string;
  amount_cents: OptionalCentsColumn;
  date_text: string;
  date_start: string | null;
  date_end: string | null;
  state_text: string;
  state_fips: ColumnType<string[], string, string>;
  outside_us: ColumnType<string[], string, string>;
  status: string;
  stage: AwardStage;
  sub_area_id: string;
  sources: ColumnType<unknown, string, string>;
  statement_path: string | null;
  origin: string;
  recorded_by: string;
  recorded_at: Defaulted<string>;
}
