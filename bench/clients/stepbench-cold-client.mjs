/**
 * Bench child for the `cold-start` suite: one stepbench library `run()` in a fresh process, as a
 * user's first run would be, then one JSON line with the outcome and the process cost. The
 * per-row results stay in `outDir/results.jsonl` for the parent to match against the server's
 * own records by trace id.
 *
 * argv[2]: JSON { url, dataset, outDir, run: { …run() settings: concurrency, requests,
 *                 preconnect, adaptive, retries, … } }
 */
import { run } from '../../dist/index.js';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const outcome = await run({
  datasets: [config.dataset],
  baseUrl: config.url,
  env: { STEP_API_KEY: 'bench' },
  out: config.outDir,
  // A case reuses its folder on every repeat: each repeat replaces the last.
  overwrite: true,
  ...config.run,
});
const cost = processCost(cpuBefore, performance.now() - t0);

console.log(
  JSON.stringify({
    client: 'stepbench cold',
    exitCode: outcome.exitCode,
    // Milliseconds from process start to the end of run(): module loading included.
    sinceProcessStartMs: performance.now(),
    ...cost,
  }),
);
