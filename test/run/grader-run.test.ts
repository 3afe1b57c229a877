import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

const env = { STEP_API_KEY: 'k-grader-run' };
const FAST = { ttftMs: 1, interTokenMs: 0, replyTokens: 24 };

async function resultsByRow(path: string): Promise<Map<string, JobResult>> {
  const lines = (await readFile(path, 'utf8')).trim().split('\n');
  return new Map(lines.map((l) => JSON.parse(l) as JobResult).map((r) => [r.rowId, r]));
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stepbench-grader-'));
}

async function dataset(dir: string, rows: unknown[]): Promise<string> {
  const path = join(dir, 'rows.jsonl');
  await writeFile(path, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The mock's filler text is a fixed function of (seed, model, prompt): "e" is in almost every
// reply, but the test does not rely on it; it checks the verdict follows the rubric's rule.
const ROWS = [
  { id: 'has-e', prompt: 'Say something.', assert: [{ type: 'judge', value: 'Contains "e"' }] },
  { id: 'never', prompt: 'Say something else.', assert: [{ type: 'judge', value: 'Names "zebra-quartz"' }] },
  { id: 'plain', prompt: 'No checks here.' },
];

describe('judge assertions with a grader target', () => {
  it('the mock grades them as the rubric says; report.json counts the grader apart', async () => {
    const dir = await tempDir();
    const path = await dataset(dir, ROWS);
    await withMock(FAST, async (mock) => {
      const o = await run({
        datasets: [path],
        baseUrl: mock.url,
        env,
        out: join(dir, 'out'),
        grader: 'step-3.5-flash',
      });
      const byId = await resultsByRow(o.resultsPath);
      const hasE = byId.get('has-e')!;
      const judged = hasE.checks!.results[0]!;
      expect(judged.pass).toBe(hasE.output.toLowerCase().includes('e'));
      expect(judged.reason).toMatch(/^grader step-3\.5-flash: mock grader: /);
      const never = byId.get('never')!;
      expect(never.outcome).toBe('assertion_failed');
      expect(never.checks!.results[0]).toMatchObject({
        type: 'judge',
        pass: false,
        reason: 'grader step-3.5-flash: mock grader: the output lacks "zebra-quartz"',
      });
      expect(byId.get('plain')!.checks).toBeUndefined();

      expect(o.report.grader).toMatchObject({
        model: 'step-3.5-flash',
        baseUrl: mock.url,
        requests: 2,
        verdicts: 2,
        errors: 0,
      });
      expect(o.report.grader!.usage.totalTokens).toBeGreaterThan(0);
      // The grader's requests are not jobs: the target's metrics count the three rows only.
      expect(o.report.targets).toHaveLength(1);
      expect(o.report.targets[0]!.summary.requests).toBe(3);
      expect(mock.stats.requests).toBe(5);
      const reportText = await readFile(o.reportPath, 'utf8');
      expect(JSON.parse(reportText).grader.requests).toBe(2);
      // The key the grader was sent (the targets', here) is in no output.
      expect(reportText).not.toContain(env.STEP_API_KEY);
      expect(await readFile(o.resultsPath, 'utf8')).not.toContain(env.STEP_API_KEY);
    });
  });

  it('an unreachable grader fails the judge as undecided with a clear reason; the run still finishes', async () => {
    const dir = await tempDir();
    const path = await dataset(dir, ROWS.slice(0, 1));
    const port = await closedPort();
    const config = join(dir, 'stepbench.json');
    await writeFile(
      config,
      JSON.stringify({ grader: { model: 'step-3.5-flash', baseUrl: `http://127.0.0.1:${port}/v1` } }),
    );
    await withMock(FAST, async (mock) => {
      const o = await run({
        datasets: [path],
        baseUrl: mock.url,
        env,
        out: join(dir, 'out'),
        config,
        retries: 0,
      });
      const result = (await resultsByRow(o.resultsPath)).get('has-e')!;
      expect(result.outcome).toBe('assertion_failed');
      expect(result.checks!.results[0]).toMatchObject({ type: 'judge', pass: false, score: 0 });
      expect(result.checks!.results[0]!.reason).toMatch(
        /^the judge failed: grader step-3\.5-flash gave no verdict \(network\): request to http:\/\/127\.0\.0\.1:\d+ failed/,
      );
      expect(o.report.grader).toMatchObject({ requests: 1, verdicts: 0, errors: 1 });
      expect(o.exitCode).toBe(1);
    });
  });

  it('without a grader the offline grader judges, and says so; no grader block', async () => {
    const dir = await tempDir();
    const path = await dataset(dir, ROWS.slice(1, 2));
    await withMock(FAST, async (mock) => {
      const o = await run({ datasets: [path], baseUrl: mock.url, env, out: join(dir, 'out') });
      const result = (await resultsByRow(o.resultsPath)).get('never')!;
      expect(result.checks!.results[0]!.reason).toBe('offline grader: output lacks "zebra-quartz"');
      expect(o.report.grader).toBeUndefined();
      expect(mock.stats.requests).toBe(1);
    });
  });
});
