/**
 * Bench child for the `cold-start` suite: the floor. A plain undici Pool in a fresh process,
 * doing the least a streaming client can: open `concurrency` connections with `GET /models`
 * first (as stepbench's warm client does), then a closed loop of `requests` streaming requests.
 * The clock starts where stepbench's does, when undici writes a request's headers to the socket
 * (`undici:client:sendHeaders`); the first token is the first body `data` event (the server
 * sends its headers, role chunk and first token in one write) and the end is the body's `end`.
 * No decoding, no records, no report: what is left of the error against the server is the
 * machine, the loopback and the HTTP path, not a client's own work.
 *
 * argv[2]: JSON { url, concurrency, requests }. Prints one JSON line: { rows: [{ traceId,
 * outcome, durations: { ttft, e2e }, times: { dispatchedAt } }] } (the fields the suite reads).
 */
import { subscribe } from 'node:diagnostics_channel';
import { Pool } from 'undici';

const config = JSON.parse(process.argv[2]);
const base = new URL(config.url);
const prefix = base.pathname.replace(/\/$/, '');
const pool = new Pool(base.origin, { connections: config.concurrency });
const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };

// Each request's body is its own Buffer, and undici hands that very Buffer to the channel.
const sentAt = new Map();
subscribe('undici:client:sendHeaders', ({ request }) => {
  if (Buffer.isBuffer(request.body)) sentAt.set(request.body, performance.now());
});

await Promise.all(
  Array.from({ length: config.concurrency }, () =>
    pool.request({ method: 'GET', path: `${prefix}/models`, headers }).then((r) => r.body.dump()),
  ),
);

const rows = [];
let next = 0;
async function one() {
  const i = next++;
  const body = Buffer.from(
    JSON.stringify({
      model: 'step-3.7-flash',
      stream: true,
      messages: [{ role: 'user', content: `prompt ${i}` }],
    }),
  );
  const dispatchedAt = performance.now();
  const res = await pool.request({ method: 'POST', path: `${prefix}/chat/completions`, headers, body });
  let firstAt;
  await new Promise((resolve, reject) => {
    res.body.on('data', () => {
      firstAt ??= performance.now();
    });
    res.body.once('end', resolve);
    res.body.once('error', reject);
  });
  const endAt = performance.now();
  const start = sentAt.get(body);
  sentAt.delete(body);
  rows.push({
    traceId: res.headers['x-trace-id'],
    outcome: res.statusCode === 200 ? 'ok' : `http_${res.statusCode}`,
    durations: { ttft: firstAt - start, e2e: endAt - start },
    times: { dispatchedAt },
  });
}
await Promise.all(
  Array.from({ length: config.concurrency }, async () => {
    while (next < config.requests) await one();
  }),
);
await pool.close();
console.log(JSON.stringify({ client: 'undici floor', rows }));
