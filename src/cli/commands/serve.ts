import { buildServer } from '../../api/server.ts';
import type { AppContext } from '../../app/context.ts';
import { initKeel } from '../../app/init.ts';
import { startMailSender } from '../../app/notifications/mail-sender.ts';
import { startNotificationRetention } from '../../app/notifications/retention.ts';
import { configFromEnv, openKeel } from '../../app/open.ts';
import { isInitialised } from '../../app/programme.ts';
import { configureResources, resourceLimitsFromEnv } from '../../app/resource-limits.ts';
import { issueSetupLink, SETUP_LINK_HOURS } from '../../app/setup.ts';
import { programmeSummary } from '../../app/summary.ts';
import { KeelError } from '../../domain/errors.ts';
import { type RunCommand, startHandover } from '../handover-server.ts';
import { err, out } from '../io.ts';
import { cliActor } from '../session.ts';
import { renderSummary } from './summary.ts';

/** Serves the API (and later the web app) on one port until interrupted. */
export async function serveCommand(options: { init: boolean; runCommand: RunCommand }): Promise<number> {
  return serveKeel(configFromEnv(), options.runCommand, async (keel) => {
    if (options.init) {
      if (!(await isInitialised(keel.database.db))) {
        err('First start: loading the taxonomy, the reference programme and the public reference deals…\n');
      }
      await initKeel(keel, cliActor());
      out(`${renderSummary(await programmeSummary(keel, cliActor()))}\n\n`);
    }
  });
}

/**
 * Opens Keel on `config`, runs `prepare` (initialise, seed), then serves until interrupted: the part `keel
 * serve`, `keel start` and `keel demo` share.
 */
export async function serveKeel(
  config: ReturnType<typeof configFromEnv>,
  runCommand: RunCommand,
  prepare: (keel: AppContext) => Promise<void>,
): Promise<number> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new KeelError('invalid_port', `PORT must be 1-65535, not "${process.env.PORT}"`);
  const host = process.env.KEEL_HOST ?? '127.0.0.1';
  // Worker pool sizes, idle timeout and the per-user heavy-job limit (KEEL_* variables; see resource-limits.ts).
  configureResources(resourceLimitsFromEnv());
  // Tokens are cached while the database can tell this server of changes made elsewhere (token-cache.ts).
  const keel = await openKeel(config, { cacheTokens: true });
  try {
    await prepare(keel);
    const app = await buildServer(keel, {
      secureCookies: process.env.KEEL_SECURE_COOKIES === '1',
      logger: true,
      metricsToken: process.env.KEEL_METRICS_TOKEN || undefined,
    });
    try {
      await app.listen({ port, host });
    } catch (error) {
      // A port in use: stop what buildServer started (the import job runner) before the database closes.
      await app.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new KeelError(
          'port_in_use',
          `port ${port} on ${host} is in use by another program: set PORT to a free one`,
        );
      throw error;
    }
    // Notification mail leaves through the outbox, never from a write (KEEL_SMTP_URL; off when unset).
    const mailer = startMailSender(keel, {
      onError: (error) => app.log.error({ err: error }, 'mail sender'),
    });
    const retention = startNotificationRetention(keel, (error) =>
      app.log.error({ err: error }, 'notification retention'),
    );
    // `keel` commands beside this server come to it instead of waiting for the data folder (see handover-*.ts).
    const handover =
      keel.database.kind === 'pglite' && !keel.database.location.startsWith('memory://')
        ? await startHandover(keel, keel.database.location, runCommand)
        : null;
    const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    out(`Keel is serving on ${base}  (API docs: /api/docs)\n`);
    // No active admin: a one-time link creates the first one in the browser (no default password, no restart).
    const link = await issueSetupLink(keel);
    if (link)
      out(
        `No admin yet: open this link once, within ${SETUP_LINK_HOURS} hour, to create the first admin:\n  ${base}/#/setup/${link.token}\n`,
      );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await handover?.close();
    await mailer?.stop();
    await retention.stop();
    await app.close();
    return 0;
  } finally {
    await keel.close();
  }
}
