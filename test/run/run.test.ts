import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { expectAgreesWithServer } from '../helpers/ground-truth.js';
import { startTestMock } from '../helpers/mock.js';

async function readJsonl(path: string): Promise<JobResult[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JobResult);
}

describe('run against the mock (ground truth)', () => {
  let mock: MockServer;
  let out: string;
  let results: JobResult[];
  let exitCode: number;

  beforeAll(async () => {
    mock = await startTestMock({ ttftMs: 30, interTokenMs: 4, replyTokens: 24, reasoningTokens: 6, seed: 7 });
    out = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
    const outcome = await run({
      datasets: ['datasets/capacity.csv'],
      baseUrl: mock.url,
      env: { STEP_API_KEY: 'sk-integration-secret' },
      concurrency: 32,
      out,
    });
    exitCode = outcome.exitCode;
    results = await readJsonl(outcome.resultsPath);
  });
  afterAll(() => mock.close());

  it('gives every row exactly one result', () => {
    expect(exitCode).toBe(0);
    expect(results).toHaveLength(200);
    expect(new Set(results.map((r) => r.key)).size).toBe(200);
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
  });

  it('never writes the API key', async () => {
    const all =
      (await readFile(join(out, 'results.jsonl'), 'utf8')) +
      (await readFile(join(out, 'report.json'), 'utf8'));
    expect(all).not.toContain('sk-integration-secret');
  });

  it('measures TTFT and e2e consistently with the server at concurrency 32', () => {
    // Behaviour, not accuracy: the same requests on both sides, never earlier than the server
    // wrote, in order. The in-process mock shares the client's event loop, so how close the two
    // come depends on the machine; the precise figure is a benchmark (bench/client-overhead.mjs).
    expect(expectAgreesWithServer(results, mock.stats.records)).toBe(200);
  });

  it('counts the same tokens as the server', () => {
    const byTrace = new Map(mock.stats.records.map((r) => [r.traceId, r]));
    for (const r of results) {
      const s = byTrace.get(r.traceId ?? '')!;
      expect(r.usage).toMatchObject({
        promptTokens: s.promptTokens,
        completionTokens: s.completionTokens,
        source: 'server',
      });
    }
  });

  it('writes a versioned report whose totals match the results', async () => {
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.version).toBe(1);
    const [t] = report.targets;
    expect(t.summary.requests).toBe(200);
    expect(t.summary.outcomes.ok).toBe(200);
    expect(t.summary.latency.ttft.count).toBe(200);
    expect(t.histograms.ttft).toMatch(/^HISTF/);
    const completion = results.reduce((a, r) => a + r.usage.completionTokens, 0);
    expect(t.summary.tokens.completion.total).toBe(completion);
  });
});

describe('run options', () => {
  it('--requests cycles the dataset and --repeat × --model multiplies it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
    const a = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 1, interTokenMs: 0 },
      requests: 25,
      out,
    });
    expect((await readJsonl(a.resultsPath)).length).toBe(25);
    const out2 = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
    const b = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 1, interTokenMs: 0 },
      models: ['step-3.7-flash', 'step-3.5-flash'],
      repeat: 2,
      out: out2,
    });
    const rs = await readJsonl(b.resultsPath);
    expect(rs).toHaveLength(40);
    expect(b.report.targets.map((t) => t.name)).toEqual(['step-3.7-flash', 'step-3.5-flash']);
  });

  it('non-streaming runs report TTFT equal to e2e', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
    const o = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 2, interTokenMs: 1 },
      stream: false,
      out,
    });
    for (const r of await readJsonl(o.resultsPath)) {
      expect(r.outcome).toBe('ok');
      expect(r.durations.ttft).toBe(r.durations.e2e);
    }
  });

  it('a 401 stops the run with exit code 3 and a message about the key', async () => {
    const mock = await startTestMock({ apiKey: 'the-right-key', ttftMs: 1 });
    try {
      const out = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
      const o = await run({
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env: { STEP_API_KEY: 'a-wrong-key-123' },
        concurrency: 2,
        out,
      });
      expect(o.exitCode).toBe(3);
      expect(o.aborted).toMatch(/API key was rejected/);
      expect(o.aborted).not.toContain('a-wrong-key-123');
      // Stopped early: far fewer than the 200 rows were sent.
      expect(mock.stats.requests).toBeLessThan(10);
      expect(o.report.aborted?.reason).toMatch(/401|rejected/);
    } finally {
      await mock.close();
    }
  });

  it('--on-bad-row skip records bad rows and runs the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-run-'));
    const file = join(dir, 'd.jsonl');
    await writeFile(file, '{"prompt":"hello"}\n{"prompt":\n{"prompt":"world"}\n');
    const o = await run({ datasets: [file], mock: { ttftMs: 1 }, onBadRow: 'skip', out: join(dir, 'out') });
    expect((await readJsonl(o.resultsPath)).length).toBe(2);
    expect(o.report.dataset.badRows).toEqual([expect.objectContaining({ file, line: 2 })]);
    await expect(run({ datasets: [file], mock: true, out: join(dir, 'out2') })).rejects.toThrow(
      /d\.jsonl:2:/,
    );
  });
});
