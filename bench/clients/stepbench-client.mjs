/**
 * Bench child: drives the mock with stepbench's own library `run()` (closed loop, streaming)
 * and prints its cost and outcome as one JSON line. Per-request samples (traceId, ttft, e2e)
 * are written to `config.samplesPath` for the parent to check against the mock's records.
 *
 * argv[2]: JSON { url, concurrency, requests, dataset, outDir, samplesPath }
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { run } from '../../dist/index.js';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const outcome = await run({
  datasets: [config.dataset],
  baseUrl: config.url,
  env: { STEP_API_KEY: 'bench' },
  concurrency: config.concurrency,
  requests: config.requests,
  out: config.outDir,
  // Rounds of a suite reuse a scenario's folder: each round replaces the last.
  overwrite: true,
  // A fixed closed loop, like the SDK loop it is compared with: this suite measures the client's
  // own overhead, not how fast adaptive concurrency ramps up to the limit.
  adaptive: false,
  retries: 0,
});
// Cost is taken before the samples are read back: reading them is the bench's work, not the tool's.
const cost = processCost(cpuBefore, performance.now() - t0);

const samples = [];
const outcomes = {};
const lines = createInterface({ input: createReadStream(join(config.outDir, 'results.jsonl'), 'utf8') });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const r = JSON.parse(line);
  outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  samples.push({ traceId: r.traceId, ttft: r.durations.ttft, e2e: r.durations.e2e });
}
await writeFile(config.samplesPath, JSON.stringify(samples));

console.log(
  JSON.stringify({
    client: 'stepbench',
    requests: samples.length,
    outcomes,
    exitCode: outcome.exitCode,
    ...cost,
  }),
);
