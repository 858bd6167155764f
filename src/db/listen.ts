/**
 * Listens on PostgreSQL channels over a connection of its own (a pooled connection is handed to other
 * queries between statements, and its LISTEN would go with it). While the connection is down the listener
 * says so (`watching(false)`) and connects again after a pause; once listening again it says so too, since
 * notices sent meanwhile were lost and the caller must catch up from the tables.
 */
import pg from 'pg';

const RECONNECT_MS = 1_000;

export interface ListenHandlers {
  notice(channel: string, payload: string): void;
  /** True once listening (again); false when the connection is lost. */
  watching(on: boolean): void;
}

export interface Listener {
  /** Resolves once the first attempt to listen has finished (listening or not). */
  started: Promise<void>;
  close(): Promise<void>;
}

export function listenOn(url: string, channels: readonly string[], handlers: ListenHandlers): Listener {
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
      if (channels.includes(notice.channel)) handlers.notice(notice.channel, notice.payload ?? '');
    });
    try {
      await next.connect();
      for (const channel of channels) await next.query(`LISTEN ${channel}`);
      if (closed || client !== next) return;
      handlers.watching(true);
    } catch {
      if (client === next) lost();
    }
  }

  const started = connect();
  return {
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
