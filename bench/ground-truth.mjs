/**
 * Suite `ground-truth`: how close stepbench's TTFT and e2e come to the mock's own record of each
 * request. These figures used to be test assertions (median error < 8 ms, < 20 ms); on a loaded
 * machine they are not a property of the code, so they live here and the tests check behaviour
 * only (test/helpers/ground-truth.ts: same requests, causality, order).
 *
 * The mock runs in its own process with the old test's settings (TTFT 30 ms, 4 ms between
 * tokens, 6 reasoning + 24 answer tokens); stepbench's library `run()` runs in a child process,
 * closed loop, once unmeasured (JIT, connections) and then measured. Errors are signed: client
 * duration − server duration, matched on trace id; positive is the client's overhead plus the
 * kernel and the mock's own delay, negative would be impossible (a client seeing a token before
 * the server wrote it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { machineInfo } from './lib/machine.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { mean, percentile } from './lib/stats.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const MOCK_FLAGS = [
  '--ttft-ms',
  '30',
  '--inter-token-ms',
  '4',
  '--reply-tokens',
  '24',
  '--reasoning-tokens',
  '6',
];
const DATASET = here('../datasets/capacity.csv');
const CLIENT = here('./clients/stepbench-client.mjs');

export const defaultSettings = {
  concurrencies: [1, 32],
  /** Requests per configuration = concurrency × rounds (at least 50). */
  rounds: 20,
};

/** Signed client − server errors of the matched samples, ms. */
function signedErrors(samples, records) {
  const truth = new Map(records.map((r) => [r.traceId, r]));
  const ttft = [];
  const e2e = [];
  let unmatched = 0;
  for (const s of samples) {
    const r = truth.get(s.traceId);
    if (!r) {
      unmatched++;
      continue;
    }
    if (typeof s.ttft === 'number' && typeof r.firstTokenAt === 'number') {
      ttft.push(s.ttft - (r.firstTokenAt - r.receivedAt));
    }
    e2e.push(s.e2e - (r.endAt - r.receivedAt));
  }
  return { ttft, e2e, unmatched };
}

const stat = (xs) => ({
  min: xs.length > 0 ? Math.min(...xs) : null,
  median: percentile(xs, 50),
  mean: mean(xs),
  p99: percentile(xs, 99),
});

async function measure(mock, concurrency, requests, workDir, label) {
  const samplesPath = join(workDir, `${label}.samples.json`);
  await runClientProcess(CLIENT, {
    url: mock.url,
    concurrency,
    requests,
    dataset: DATASET,
    outDir: join(workDir, label),
    samplesPath,
    model: 'step-3.7-flash',
  });
  const stats = await mock.stats({ reset: true });
  const samples = JSON.parse(await readFile(samplesPath, 'utf8'));
  return signedErrors(
    samples,
    stats.records.filter((r) => r.status === 200),
  );
}

const COLUMNS = [
  { title: 'conc', value: (r) => r.concurrency },
  { title: 'matched', value: (r) => r.matched },
  { title: 'unmatched', value: (r) => r.unmatched },
  { title: 'TTFT err min', value: (r) => fixed(r.ttft.min, 2) },
  { title: 'TTFT median', value: (r) => fixed(r.ttft.median, 2) },
  { title: 'TTFT mean', value: (r) => fixed(r.ttft.mean, 2) },
  { title: 'TTFT p99', value: (r) => fixed(r.ttft.p99, 2) },
  { title: 'e2e err min', value: (r) => fixed(r.e2e.min, 2) },
  { title: 'e2e median', value: (r) => fixed(r.e2e.median, 2) },
  { title: 'e2e mean', value: (r) => fixed(r.e2e.mean, 2) },
  { title: 'e2e p99', value: (r) => fixed(r.e2e.p99, 2) },
];

export default {
  name: 'ground-truth',
  describe: 'signed TTFT/e2e error of stepbench against the mock in its own process (ms)',
  reportFile: 'ground-truth.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-gt-'));
    const mock = await startMockProcess(MOCK_FLAGS);
    const rows = [];
    try {
      for (const concurrency of settings.concurrencies) {
        const requests = Math.max(50, concurrency * settings.rounds);
        log(`c${concurrency}: one unmeasured pass, then ${requests} measured requests …`);
        await measure(mock, concurrency, requests, workDir, `c${concurrency}-warm`);
        const errors = await measure(mock, concurrency, requests, workDir, `c${concurrency}`);
        rows.push({
          concurrency,
          requests,
          matched: errors.ttft.length,
          unmatched: errors.unmatched,
          ttft: stat(errors.ttft),
          e2e: stat(errors.e2e),
        });
      }
    } finally {
      await mock.stop();
      await rm(workDir, { recursive: true, force: true });
    }
    return {
      text: formatTable(rows, COLUMNS),
      report: {
        suite: 'ground-truth',
        startedAt,
        machine,
        loadAverage1mAtEnd: loadavg()[0],
        mockFlags: MOCK_FLAGS,
        rows,
      },
    };
  },
};
