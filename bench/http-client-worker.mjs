/**
 * The benchmark's HTTP client, in a thread of its own as a browser is a process of its own: its sockets,
 * parsing and garbage are not charged to the server's event loop and heap, only the round trip is. It times
 * each request itself (send → last byte parsed), so the message hop to the main thread is not counted.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = { authorization: `Bearer ${workerData.token}` };

function get(url) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(`${workerData.base}${url}`, { agent, headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (response.statusCode !== 200)
            reject(new Error(`${url} answered ${response.statusCode}: ${text}`));
          else {
            JSON.parse(text);
            resolve(ms);
          }
        });
      })
      .on('error', reject);
  });
}

parentPort.on('message', ({ id, url }) => {
  get(url).then(
    (ms) => parentPort.postMessage({ id, ms }),
    (error) => parentPort.postMessage({ id, error: String(error?.message ?? error) }),
  );
});
