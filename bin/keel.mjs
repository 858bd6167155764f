#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const argv = process.argv.slice(2);
// A server holding the data folder runs the command; only otherwise load every command and the database.
const { handOver } = await import('../src/cli/handover-client.ts');
const handedOver = await handOver(argv);
if (handedOver !== null) process.exitCode = handedOver;
else {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
// The command has finished and said so: a timer a library left behind (pg-boss's worker loop after a failed
// listen) must not keep the process, and with it the data folder's lock, alive.
process.exit();
