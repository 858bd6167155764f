/** What the auth routes answer (routes/auth.ts). */
import { z } from 'zod';

const principalSchema = z.object({
  id: z.string(),
  role: z.enum([
    'admin',
    'portfolio_manager',
    'banker',
    'sector_specialist',
    'research_analyst',
    'investment_committee',
    'risk_compliance',
    'auditor',
    'council_member',
  ]),
  scope: z.enum(['read', 'write']).optional(),
});

export const loginResponse = z.object({
  user: principalSchema,
  csrfToken: z.string(),
  expiresAt: z.string(),
});

export const logoutResponse = z.object({ loggedOut: z.boolean() });

export const meResponse = z.object({ user: principalSchema, csrfToken: z.string().nullable() });
