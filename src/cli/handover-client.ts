/**
 * The caller's side of the hand-over: when a running Keel server holds the embedded data folder, `keel`
 * sends it the command (see handover-server.ts) and relays what it prints and its exit code, so the output is
 * the one the command gives alone. This file loads no database driver and none of the commands, so a
 * hand-over or a refusal costs little more than starting Node.
 */
import { request } from 'node:http';
import { configFromEnv } from '../app/config.ts';
import { folderHolder, type Handover, inUse } from '../db/data-folder-lock.ts';
import { parseCommandLine } from './options.ts';
import { readPassword } from './password.ts';

/** Commands that need the data folder to themselves (or are the server): never handed over. */
export const LOCAL_ONLY = new Set(['start', 'serve', 'demo', 'backup', 'restore']);
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * The exit code of the command as a server holding the data folder ran it, or of its refusal; null when the
 * command is to run in this process (nothing holds the folder, a PostgreSQL server is configured, or help).
 */
export async function handOver(argv: string[]): Promise<number | null> {
  let config: ReturnType<typeof configFromEnv>;
  try {
    config = configFromEnv();
  } catch {
    return null; // a bad setting (KEEL_OIDC_*, KEEL_PUBLIC_URL): the command itself reports it
  }
  if (config.databaseUrl) return null;
  let command: string | undefined;
  let action: string | undefined;
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help) return null;
    [command, action] = positionals;
  } catch {
    return null; // the command reports its own usage error
  }
  // `keel demo` opens a folder of its own, never the one KEEL_DATA names.
  if (!command || command === 'help' || command === 'demo') return null;
  const holder = folderHolder(config.dataDir);
  if (!holder) return null;
  if (!holder.handover) return refuse(inUse(config.dataDir, holder.pid).message);
  if (command === 'start' || command === 'serve')
    return refuse(`a Keel server (PID ${holder.pid}) is already serving the data folder ${config.dataDir}`);
  if (LOCAL_ONLY.has(command))
    return refuse(
      `keel ${command} needs the data folder ${config.dataDir} to itself; stop the Keel server (PID ${holder.pid}) first`,
    );
  let password: string | undefined;
  if (command === 'user' && action === 'add') {
    try {
      password = readPassword();
    } catch {
      // none given: the command says so, as it would alone
    }
  }
  return send(holder.handover, config.dataDir, { argv, cwd: process.cwd(), password });
}

function refuse(message: string): number {
  process.stderr.write(`keel: ${message}\n`);
  return 1;
}

function send(
  handover: Handover,
  dataDir: string,
  body: { argv: string[]; cwd: string; password: string | undefined },
): Promise<number> {
  const server = `the Keel server (PID ${handover.pid}) holding ${dataDir}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (code: number, message?: string) => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onInterrupt);
      if (message) process.stderr.write(`keel: ${message}\n`);
      resolve(code);
    };
    const req = request(`${handover.url}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${handover.token}`, 'content-type': 'application/json' },
    });
    const onInterrupt = () => {
      req.destroy();
      finish(130, 'cancelled');
    };
    process.once('SIGINT', onInterrupt);
    const connectTimer = setTimeout(() => req.destroy(new Error('ETIMEDOUT')), CONNECT_TIMEOUT_MS);
    req.on('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
    req.on('error', (error) => {
      clearTimeout(connectTimer);
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      finish(1, `${server} does not answer (${code}); try again, or stop it and run the command alone`);
    });
    req.on('response', (response) => {
      clearTimeout(connectTimer);
      if (response.statusCode === 401) {
        response.resume();
        return finish(1, `${server} refused the local credential; restart the server`);
      }
      if (response.statusCode !== 200) {
        response.resume();
        return finish(1, `${server} refused the command (HTTP ${response.statusCode})`);
      }
      let pending = '';
      let exit: number | null = null;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const message = JSON.parse(pending.slice(0, newline)) as {
            out?: string;
            err?: string;
            exit?: number;
          };
          pending = pending.slice(newline + 1);
          if (message.out !== undefined) process.stdout.write(message.out);
          if (message.err !== undefined) process.stderr.write(message.err);
          if (message.exit !== undefined) exit = message.exit;
          newline = pending.indexOf('\n');
        }
      });
      response.on('end', () =>
        exit === null ? finish(1, `${server} stopped before the command finished`) : finish(exit),
      );
      response.on('error', () => finish(1, `${server} stopped before the command finished`));
    });
    req.end(JSON.stringify(body));
  });
}
