/**
 * Who may do what. Deny by default: a permission not listed for a role is refused. Deal data (pipeline,
 * terms, counterparties) is private-side material non-public information: public-side roles (research
 * analysts) and the external council never hold `deals.read`; an analyst may see one deal only through an
 * approved, unexpired wall-crossing, and the council sees aggregates only.
 */
import { KeelError } from './errors.ts';

export const ROLES = [
  'admin',
  'portfolio_manager',
  'banker',
  'sector_specialist',
  'research_analyst',
  'investment_committee',
  'risk_compliance',
  'auditor',
  'council_member',
] as const;
export type Role = (typeof ROLES)[number];

/** The longest a wall-crossing lasts: the private side asks for a length up to it, compliance approves one. */
export const MAX_CROSSING_DAYS = 30;

/** Roles over the wall: they may see private-side deal data. */
export const PRIVATE_SIDE: ReadonlySet<Role> = new Set([
  'admin',
  'portfolio_manager',
  'banker',
  'sector_specialist',
  'investment_committee',
  'risk_compliance',
  'auditor',
]);

const everyone = ROLES;
const privateSide = [...PRIVATE_SIDE];

export const PERMISSIONS = {
  'programme.aggregates': everyone,
  'programme.detail': privateSide,
  'programme.load': ['admin'],
  'taxonomy.read': everyone,
  'companies.read': privateSide,
  'companies.write': ['admin', 'portfolio_manager', 'banker'],
  'deals.read': privateSide,
  'deals.write': ['admin', 'portfolio_manager', 'banker'],
  'deals.move': ['admin', 'portfolio_manager', 'banker', 'investment_committee'],
  'ledger.read': privateSide,
  'ledger.write': ['admin', 'portfolio_manager'],
  'imports.run': ['admin', 'portfolio_manager'],
  /**
   * Importing the public record (reported deals, peer awards): public facts with their sources, so the
   * research analysts who follow the reports may add them. Every holder of `imports.run` holds this too.
   */
  'imports.public_record': ['admin', 'portfolio_manager', 'research_analyst'],
  /**
   * Watching and cancelling one's own import jobs: every role that may import some kind (the credit book's
   * reference-rate fixings are imported by who holds credit.write).
   */
  'imports.jobs': ['admin', 'portfolio_manager', 'research_analyst', 'banker'],
  'audit.verify': ['admin', 'risk_compliance', 'auditor'],
  /** The audit log itself, row by row: who did what to which subject, and when. */
  'audit.read': ['admin', 'risk_compliance', 'auditor'],
  'users.read': ['admin'],
  /** Signing the audit head needs the key file too, which only the operator holds. */
  'audit.checkpoint': ['admin', 'risk_compliance'],
  'users.manage': ['admin'],
  'wall_crossings.read': ['admin', 'risk_compliance', 'auditor'],
  'wall_crossings.request': ['admin', 'portfolio_manager', 'banker', 'risk_compliance'],
  'wall_crossings.decide': ['risk_compliance'],
  'committee.read': privateSide,
  'committee.manage': ['admin', 'portfolio_manager', 'investment_committee'],
  'committee.decide': ['admin', 'investment_committee'],
  /** Votes and declared conflicts are a member's own: only the committee's members cast them. */
  'committee.vote': ['investment_committee'],
  'research.read': everyone,
  'research.write': ['admin', 'research_analyst', 'sector_specialist'],
  /** Running a scenario against the book reads private-side holdings; public-side runs see exposures only. */
  'research.holdings': privateSide,
  /** Relationships and capital stacks name clients and deals: private side only. */
  'network.read': privateSide,
  'network.write': ['admin', 'portfolio_manager', 'banker'],
  'permits.read': privateSide,
  'permits.write': ['admin', 'portfolio_manager', 'banker', 'sector_specialist'],
  /** Bottlenecks by permit type and agency carry no deal names: for the policy dialogue and the council. */
  'permits.aggregates': everyone,
  'council.read': [
    'admin',
    'portfolio_manager',
    'investment_committee',
    'risk_compliance',
    'auditor',
    'council_member',
  ],
  'council.manage': ['admin', 'portfolio_manager'],
  'coverage.read': privateSide,
  'coverage.manage': ['admin', 'portfolio_manager'],
  /** The credit book (facilities, risk grades, IRB figures): private side, like the deals it lends to. */
  'credit.read': privateSide,
  'credit.write': ['admin', 'portfolio_manager', 'banker'],
  /**
   * Correcting a borrower's financials already recorded: a control function's, not the deal team's, since a
   * correction can clear a covenant breach (and whoever recorded the figures may not correct them).
   */
  'credit.financials.correct': ['admin', 'risk_compliance'],
  /** Term sheets, memos and diligence reports: private side, like the deals and companies they are about. */
  'documents.read': privateSide,
  /** The deal team attaches them; the committee attaches its memos. */
  'documents.write': ['admin', 'portfolio_manager', 'banker', 'investment_committee'],
  /** A user's own notifications: everyone has them; what each says was cut to its reader when it was made. */
  'notifications.read': everyone,
  /** Marking one's own notifications read changes state: a read-scoped token may not. */
  'notifications.write': everyone,
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/**
 * What each permission does: `read` permissions only look, `write` permissions change something. The type
 * checker keeps this complete, so a new permission cannot be added without saying which it is, and a
 * read-scoped principal is refused every `write` one (deny by default: nothing here is assumed harmless).
 */
export const PERMISSION_KIND: Record<Permission, 'read' | 'write'> = {
  'programme.aggregates': 'read',
  'programme.detail': 'read',
  'programme.load': 'write',
  'taxonomy.read': 'read',
  'companies.read': 'read',
  'companies.write': 'write',
  'deals.read': 'read',
  'deals.write': 'write',
  'deals.move': 'write',
  'ledger.read': 'read',
  'ledger.write': 'write',
  'imports.run': 'write',
  'imports.public_record': 'write',
  'imports.jobs': 'read',
  'audit.verify': 'read',
  'audit.read': 'read',
  'audit.checkpoint': 'write',
  'users.read': 'read',
  'users.manage': 'write',
  'wall_crossings.read': 'read',
  'wall_crossings.request': 'write',
  'wall_crossings.decide': 'write',
  'committee.read': 'read',
  'committee.manage': 'write',
  'committee.decide': 'write',
  'committee.vote': 'write',
  'research.read': 'read',
  'research.write': 'write',
  'research.holdings': 'read',
  'network.read': 'read',
  'network.write': 'write',
  'permits.read': 'read',
  'permits.write': 'write',
  'permits.aggregates': 'read',
  'council.read': 'read',
  'council.manage': 'write',
  'coverage.read': 'read',
  'coverage.manage': 'write',
  'credit.read': 'read',
  'credit.write': 'write',
  'credit.financials.correct': 'write',
  'documents.read': 'read',
  'documents.write': 'write',
  'notifications.read': 'read',
  'notifications.write': 'write',
};

/** Write permissions, which a read-only API token never carries. */
export const WRITE_PERMISSIONS: ReadonlySet<Permission> = new Set(
  (Object.keys(PERMISSION_KIND) as Permission[]).filter((p) => PERMISSION_KIND[p] === 'write'),
);

/** How far a credential reaches: a `read` one can only look; sessions and the local operator hold `write`. */
export type Scope = 'read' | 'write';
const SCOPE_RANK: Record<Scope, number> = { read: 0, write: 1 };

export interface Principal {
  /** User id, or `cli:<login>` for the local operator. */
  id: string;
  role: Role;
  /** Set for API tokens: a `read` token cannot write whatever its user's role. */
  scope?: Scope;
  /** The API token's id, for what outlives the request (a job ends when its token is revoked). */
  tokenId?: string;
  /**
   * The job this principal's work runs in, set by the job runner: a write it makes is marked as the job's,
   * so a run taken over after its first runner committed tells its own write from another's.
   */
  job?: string;
}

/** A principal's scope: API tokens carry their own; a session or the CLI operator acts with `write`. */
export const scopeOf = (principal: Principal): Scope => principal.scope ?? 'write';

export function can(principal: Principal, permission: Permission): boolean {
  if (scopeOf(principal) === 'read' && PERMISSION_KIND[permission] !== 'read') return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(principal.role);
}

/** Throws a 403-class error that names the permission, never the data behind it. */
/**
 * Is a refusal of this permission the information barrier, rather than an ordinary limit of a role? It is
 * when every private-side role holds the permission and no public-side role does: only a wall-crossing
 * would let the public side through.
 */
export function isBarrierPermission(permission: string): boolean {
  const roles = (PERMISSIONS as Record<string, readonly Role[]>)[permission];
  if (!roles) return false;
  return [...PRIVATE_SIDE].every((r) => roles.includes(r)) && roles.every((r) => PRIVATE_SIDE.has(r));
}

export function authorize(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new KeelError('forbidden', `your role (${principal.role}) does not allow ${permission}`, {
      permission,
    });
  }
}

/** Every change goes through here (runWrite, the HTTP layer): a read-scoped principal changes nothing. */
export function assertMayWrite(principal: Principal): void {
  if (scopeOf(principal) === 'read') {
    throw new KeelError(
      'forbidden',
      'a read-scoped API token can only read; use a write token to change it',
      {
        scope: 'read',
      },
    );
  }
}

/** No principal hands out a credential that reaches further than its own (a read token mints read tokens). */
export function assertScopeWithin(principal: Principal, wanted: Scope): void {
  if (SCOPE_RANK[wanted] > SCOPE_RANK[scopeOf(principal)]) {
    throw new KeelError(
      'forbidden',
      `a ${scopeOf(principal)}-scoped credential cannot create a ${wanted}-scoped one`,
      { scope: scopeOf(principal), wanted },
    );
  }
}

/**
 * Four eyes: whoever asked for something (a wall-crossing, a role change, a committee decision) may not
 * also be the one who approves it. `what` names the thing in the message.
 */
export function assertDifferentPerson(requester: string, approver: Principal, what: string): void {
  if (requester === approver.id) {
    throw new KeelError(
      'separation_of_duties',
      `${what} was requested by ${requester}; another person must approve it (four eyes)`,
      { requestedBy: requester },
    );
  }
}
