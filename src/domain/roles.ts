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
  'audit.verify': ['admin', 'risk_compliance', 'auditor'],
  'users.manage': ['admin'],
  'wall_crossings.read': ['admin', 'risk_compliance', 'auditor'],
  'wall_crossings.request': ['admin', 'portfolio_manager', 'banker', 'risk_compliance'],
  'wall_crossings.decide': ['risk_compliance'],
  'committee.read': privateSide,
  'committee.manage': ['admin', 'portfolio_manager', 'investment_committee'],
  'committee.decide': ['admin', 'investment_committee'],
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
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Write permissions, which a read-only API token never carries. */
export const WRITE_PERMISSIONS: ReadonlySet<Permission> = new Set([
  'programme.load',
  'companies.write',
  'deals.write',
  'deals.move',
  'ledger.write',
  'imports.run',
  'users.manage',
  'wall_crossings.request',
  'wall_crossings.decide',
  'committee.manage',
  'committee.decide',
  'research.write',
  'network.write',
  'permits.write',
  'council.manage',
  'coverage.manage',
  'credit.write',
]);

export interface Principal {
  /** User id, or `cli:<login>` for the local operator. */
  id: string;
  role: Role;
  /** Set for API tokens: a `read` token cannot write whatever its user's role. */
  scope?: 'read' | 'write';
}

export function can(principal: Principal, permission: Permission): boolean {
  if (principal.scope === 'read' && WRITE_PERMISSIONS.has(permission)) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(principal.role);
}

/** Throws a 403-class error that names the permission, never the data behind it. */
export function authorize(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new KeelError('forbidden', `your role (${principal.role}) does not allow ${permission}`, {
      permission,
    });
  }
}
