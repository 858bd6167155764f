import type { ResponseOf } from '../../api.ts';

/** `/api/peers` as the API sends it (amounts are strings of cents; null where the source states none). */
export type Peers = ResponseOf<'GET /api/peers'>;
export type PeerAward = Peers['awards'][number];
export type PeerSource = PeerAward['sources'][number];

/** Only web addresses are links: a source's text is shown as text whatever it holds. */
export const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : undefined);
