/**
 * Listens for the notices migration 0038 sends when a token or user row changes, so that a server's token
 * cache forgets what it holds. While the connection is down the server must not trust its cache
 * (`watching(false)`); once listening again it forgets everything first, since notices sent meanwhile were lost.
 */
import { listenOn } from './listen.ts';

const CHANNEL = 'keel_credentials';

export interface CredentialNoticeHandlers {
  /** A token or user changed somewhere: forget cached tokens. */
  changed(): void;
  /** True once listening; false when the connection is lost (the cache must not be used). */
  watching(on: boolean): void;
}

export function listenForCredentialChanges(url: string, handlers: CredentialNoticeHandlers) {
  return listenOn(url, [CHANNEL], {
    notice: () => handlers.changed(),
    watching(on) {
      if (on) handlers.changed();
      handlers.watching(on);
    },
  });
}
