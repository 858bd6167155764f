/**
 * Which sub-area of the taxonomy a row of the public record belongs to, by the analyst's rules in
 * data/public-record/sub-area-rules.json: the first rule whose pattern matches the row's words wins; a row
 * no rule matches falls back to its programme's only sub-area, if it has one.
 */
import { z } from 'zod';

export const subAreaRulesSchema = z.object({
  source: z.string().min(3),
  rules: z
    .array(z.object({ pattern: z.string().min(1), subAreaId: z.string().min(1), why: z.string().optional() }))
    .min(1),
});
export type SubAreaRules = z.infer<typeof subAreaRulesSchema>;

export function subAreaFor(text: string, rules: SubAreaRules, fallback?: string): string | null {
  for (const rule of rules.rules) if (new RegExp(rule.pattern, 'i').test(text)) return rule.subAreaId;
  return fallback ?? null;
}
