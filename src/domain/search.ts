/** What global search finds, and what a found note or document can belong to. */
export const SEARCH_KINDS = ['deal', 'company', 'organisation', 'note', 'document', 'research'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SUBJECT_KINDS = ['deal', 'company', 'committee_meeting', 'node'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  id: string;
  title: string;
  subtitle: string;
  /** The record a note or document belongs to (what a click opens); null for the records themselves. */
  about: { kind: SubjectKind; id: string } | null;
  /** Relevance, higher first (a float: ranking only). */
  score: number;
}
