/**
 * The benchmark receiver, in its own process so it competes with the workers
 * and the producer only for CPU, not for an event loop. Prints its port, answers
 * every POST with 204, remembers when each webhook-id arrived, and on an IPC
 * `report` message sends back [webhook-id, epoch-ms] pairs and forgets them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();
let receipts: Array<[string, number]> = [];

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    const id = req.headers['webhook-id'];
    receipts.push([typeof id === 'string' ? id : '', now()]);
    res.writeHead(204);
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'report') {
    process.send!({ receipts });
    receipts = [];
  } else if (msg.type === 'count') {
    process.send!({ count: receipts.length });
  } else if (msg.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
