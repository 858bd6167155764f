import type { Principal } from '../src/domain/roles.ts';

export const testAdmin: Principal = { id: 'test-admin', role: 'admin' };
export const alice: Principal = { id: 'alice', role: 'portfolio_manager' };
