/**
 * bench:ledger-import's reader, in a thread of its own (as a browser would be): GETs `path` one request after
 * another over a keep-alive connection until the main thread says stop, and answers each request's latency in
 * milliseconds. Timed here, so a server thread that does not get a turn shows as slow answers.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { base, token, path } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stop = false;
parentPort.on('message', () => {
  stop = true;
});

function get() {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}${path}`,
      { method: 'GET', agent, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const latencies = [];
const statuses = {};
while (!stop) {
  const started = process.hrtime.bigint();
  const status = await get();
  latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  statuses[status] = (statuses[status] ?? 0) + 1;
  // Another turn for the message that says stop.
  await new Promise((resolve) => setImmediate(resolve));
}
parentPort.postMessage({ latencies, statuses });
agent.destroy();
