/** How a covenant reads in the web app: its kind and threshold (a ratio exactly as entered, or dollars). */
import { milliText } from '../../../domain/credit/covenants.ts';
import { exactAmount } from '../../format.ts';

const KIND = {
  max_leverage: 'max leverage',
  min_dscr: 'min DSCR',
  min_liquidity: 'min liquidity',
} as const;

export const covenantLabel = (kind: keyof typeof KIND, threshold: string) =>
  `${KIND[kind]} ${kind === 'min_liquidity' ? exactAmount(threshold) : `${milliText(BigInt(threshold))}×`}`;

/** What a breach action rests on: its credit question, or for one recorded before those the deal decision. */
export const approvalText = (action: { questionId: string | null; committeeDecisionId: string | null }) =>
  action.questionId !== null
    ? `credit question ${action.questionId}`
    : `deal decision ${action.committeeDecisionId}`;
