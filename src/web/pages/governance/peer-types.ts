import type { ResponseOf } from '../../api.ts';

/** `/api/peers` as the API sends it (amounts are strings of cents; null where the source states none). */
export type Peers = ResponseOf<'GET /api/peers'>;
export type PeerAward = Peers['awards'][number];
export type PeerSource = PeerAward['sources'][number];

export { safeHref } from '../../components/SourceLinks.tsx';
