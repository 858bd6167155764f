import { dayBefore, type Period, quarterField } from '../../domain/fields.ts';

/** "2026Q4" → first and last day of the quarter (the field parser lives with the other input fields). */
export const quarterSchema = quarterField;
export type Quarter = Period;
export { dayBefore };
