/** Response pieces that several capabilities answer with. */
import { z } from 'zod';

export const disclosurePolicySchema = z.object({ minimumCellSize: z.number() });
