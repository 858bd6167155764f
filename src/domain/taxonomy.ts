import { z } from 'zod';
import { KeelError } from './errors.ts';

const id = z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case words joined by hyphens');

export const taxonomyFileSchema = z.object({
  source: z.string().min(3),
  note: z.string().min(3),
  areas: z
    .array(
      z.object({
        id,
        name: z.string().min(1),
        description: z.string().min(1),
        subAreas: z
          .array(
            z.object({
              id,
              name: z.string().min(1),
              description: z.string().min(1),
              publiclyNamed: z.boolean(),
              sourceNote: z.string().min(3),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type TaxonomyFile = z.infer<typeof taxonomyFileSchema>;

export interface SubArea {
  id: string;
  areaId: string;
  name: string;
  description: string;
  publiclyNamed: boolean;
  sourceNote: string;
}

export function parseTaxonomy(input: unknown): { areas: TaxonomyFile['areas']; subAreas: SubArea[] } {
  const parsed = taxonomyFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KeelError('invalid_taxonomy', `taxonomy file: ${issue.path.join('.')}: ${issue.message}`);
  }
  const subAreas = parsed.data.areas.flatMap((area) =>
    area.subAreas.map((sub) => ({ ...sub, areaId: area.id })),
  );
  const ids = [...parsed.data.areas.map((a) => a.id), ...subAreas.map((s) => s.id)];
  const dup = ids.find((value, index) => ids.indexOf(value) !== index);
  if (dup) throw new KeelError('invalid_taxonomy', `taxonomy file: id "${dup}" is used twice`);
  return { areas: parsed.data.areas, subAreas };
}
