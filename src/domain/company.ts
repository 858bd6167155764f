import { z } from 'zod';
import { countyFips, slug, sourceNote, stateFips } from './fields.ts';

export const facilitySchema = z.object({
  name: z.string().min(1),
  kind: z.string().min(1),
  city: z.string().min(1).optional(),
  stateFips,
  countyFips: countyFips.optional(),
  /** Direct jobs at the facility, as its source states them. */
  jobs: z.number().int().min(0).max(1_000_000).optional(),
  source: sourceNote,
});

export const companyInputSchema = z
  .object({
    id: slug,
    name: z.string().min(1, 'is required').max(300),
    usBased: z.boolean(),
    hqCity: z.string().min(1).optional(),
    hqStateFips: stateFips.optional(),
    hqCountyFips: countyFips.optional(),
    ticker: z
      .string()
      .regex(/^[A-Z0-9.:-]{1,16}$/, 'must be an exchange ticker like PPTA')
      .optional(),
    existingClient: z.boolean().default(false),
    ownershipNote: z.string().min(1).optional(),
    foreignControl: z.boolean().default(false),
    foreignControlNote: z.string().min(1).optional(),
    source: sourceNote,
    synthetic: z.boolean().default(false),
    facilities: z.array(facilitySchema).default([]),
  })
  .refine((c) => !c.hqCountyFips || !c.hqStateFips || c.hqCountyFips.startsWith(c.hqStateFips), {
    path: ['hqCountyFips'],
    message: 'county FIPS must start with the state FIPS',
  })
  .refine((c) => !c.foreignControl || c.foreignControlNote, {
    path: ['foreignControlNote'],
    message: 'explain the foreign control when foreignControl is true',
  });
export type CompanyInput = z.infer<typeof companyInputSchema>;
