/** Every way capital can flow to a company under the programme. The counting methodology says how each counts. */
export const INSTRUMENTS = [
  'direct_equity',
  'venture_capital',
  'term_loan',
  'revolving_credit',
  'project_finance',
  'bond_underwriting',
  'equity_underwriting',
  'syndicated_loan',
  'ma_advisory',
  'client_asset_allocation',
] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** Own balance sheet: the bank's money at risk. Facilitated: client money the bank arranges, underwrites or advises. */
export const BALANCE_SHEET_SIDES = ['own', 'facilitated'] as const;
export type BalanceSheetSide = (typeof BALANCE_SHEET_SIDES)[number];

/** Only these instruments carry valuation marks (equity positions are marked; loans are not). */
export const EQUITY_INSTRUMENTS: ReadonlySet<Instrument> = new Set(['direct_equity', 'venture_capital']);

/** The instruments that are loans of the bank's own balance sheet and so carry facility terms (the credit book). */
export const LENDING_INSTRUMENTS: ReadonlySet<Instrument> = new Set([
  'term_loan',
  'revolving_credit',
  'project_finance',
  'syndicated_loan',
]);

/** The programme's pipelines: each desk works the deals of its instruments on its own board. */
export const PIPELINES: ReadonlyArray<{ id: string; label: string; instruments: readonly Instrument[] }> = [
  { id: 'equity', label: 'Direct equity & venture', instruments: ['direct_equity', 'venture_capital'] },
  {
    id: 'lending',
    label: 'Lending & project finance',
    instruments: ['term_loan', 'revolving_credit', 'project_finance'],
  },
  {
    id: 'markets',
    label: 'Capital markets & syndication',
    instruments: ['bond_underwriting', 'equity_underwriting', 'syndicated_loan'],
  },
  {
    id: 'advisory',
    label: 'Advisory & client assets',
    instruments: ['ma_advisory', 'client_asset_allocation'],
  },
];
