/**
 * bench:ledger's API clients, in a thread of their own (as separate client processes would be): `clients`
 * loops each POST their share of the requests one after another over a keep-alive connection, all at once,
 * and the thread answers the wall time and the statuses seen. Nothing is timed on the server's thread.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { base, token, path, requests, clients } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

function post(body, key) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      `${base}${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'idempotency-key': key,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const statuses = {};
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = c; i < requests.length; i += clients) {
      const status = await post(requests[i].body, requests[i].key);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
parentPort.postMessage({ seconds: Number(process.hrtime.bigint() - started) / 1e9, statuses });
agent.destroy();
