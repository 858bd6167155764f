/**
 * Listens, on a connection of its own, for the notices migration 0038 sends when a token or user row changes,
 * so that a server's token cache forgets what it holds. While the connection is down the server must not
 * trust its cache (`watching(false)`), and it connects again after a pause; once listening again it forgets
 * everything first, since notices sent meanwhile were lost.
 */
import pg from 'pg';

const CHANNEL = 'keel_credentials';
const RECONNECT_MS = 1_000;

export interface CredentialNoticeHandlers {
  /** A token or user changed somewhere: forget cached tokens. */
  changed(): void;
  /** True once listening; false when the connection is lost (the cache must not be used). */
  watching(on: boolean): void;
}

export function listenForCredentialChanges(url: string, handlers: CredentialNoticeHandlers) {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = () => {
    handlers.watching(false);
    client?.removeAllListeners();
    client?.end().catch(() => {});
    client = null;
    if (!closed) retry = setTimeout(connect, RECONNECT_MS);
  };

  async function connect() {
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on('error', lost);
    next.on('end', () => {
      if (client === next) lost();
    });
    next.on('notification', (notice) => {
      if (notice.channel === CHANNEL) handlers.changed();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (closed || client !== next) return;
      handlers.changed();
      handlers.watching(true);
    } catch {
      if (client === next) lost();
    }
  }

  const started = connect();
  return {
    /** Resolves once the first attempt to listen has finished (listening or not). */
    started,
    async close() {
      closed = true;
      clearTimeout(retry);
      handlers.watching(false);
      const last = client;
      client = null;
      last?.removeAllListeners();
      await last?.end().catch(() => {});
    },
  };
}
