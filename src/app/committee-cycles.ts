/** Kept for app/ledger.ts (owned by the ledger work), which imports the committee gate from here. */
export { approvedInCurrentCycle } from '../db/committee-repo.ts';
