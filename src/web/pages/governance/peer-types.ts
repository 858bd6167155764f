/** `/api/peers` as the API sends it: amounts are strings of cents; null where the source states none. */
export interface PeerSource {
  label: string | null;
  url: string | null;
  text: string;
}
export interface PeerAward {
  id: string;
  programme: string;
  programmeId: string;
  recipient: string;
  technology: string;
  amount: string | null;
  date: string;
  state: string;
  stateFips: string[];
  outsideUs: string[];
  status: string;
  stage: string;
  subAreaId: string;
  sources: PeerSource[];
  statement: { path: string; title: string } | null;
  supersededBy: string | null;
}
export interface Peers {
  programmes: {
    id: string;
    name: string;
    sponsor: string;
    source: string;
    awards: number;
    counted: number;
    withoutAmount: number;
    publicDollars: string;
    byStage: { stage: string; amount: string; awards: number }[];
    bySubArea: { subAreaId: string; amount: string; awards: number }[];
  }[];
  awards: PeerAward[];
  total: { amount: string; awards: number; withoutAmount: number };
  overlap: {
    subAreaId: string;
    peers: string[];
    publicDollars: string;
    publicAwards: number;
    /** Null on the public side where fewer than k deals make the figure. */
    ourCounted: string | null;
    ourOpenPipeline: number | null;
    crowding: number | null;
    byState: { place: string; amount: string; awards: number }[];
  }[];
  states: { place: string; publicDollars: string; awards: number; ourDeployed: string | null }[];
  note: string;
}

/** Only web addresses are links: a source's text is shown as text whatever it holds. */
export const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : undefined);
