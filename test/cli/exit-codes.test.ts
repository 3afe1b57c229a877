import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, finished, runCli, spawnCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

/** Resolves when the child has written a line matching `pattern` to stderr. */
function stderrLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += String(d);
      if (!pattern.test(seen)) return;
      child.stderr?.off('data', onData);
      resolve();
    };
    child.stderr?.on('data', onData);
    child.once('close', () => reject(new Error(`exited before printing ${pattern}:\n${seen}`)));
  });
}

describe('stepbench CLI exit codes', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-cli-'));
  });

  it("3: a run in which no job succeeded fails, and says why, with the server's message", async () => {
    const out = join(dir, 'bad-model');
    const r = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--model',
      'step-3.7-flsh',
      '-o',
      out,
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/FAILED\s+no job succeeded: all 10 failed/);
    expect(r.stdout).toMatch(/http_4xx\s+×10\s+HTTP 400: Model step-3\.7-flsh does not exist/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.failed.reason).toMatch(/no job succeeded/);
    expect(report.errorMessages.http_4xx[0].count).toBe(10);
    noStack(r.stdout + r.stderr);
  });

  it('3: --max-error-rate is judged at the end of a run of any size', async () => {
    await withMock({ seed: 4, ttftMs: 1, replyTokens: 4, errorRate500: 0.5 }, async (mock) => {
      const out = join(dir, 'budget');
      const r = await runCli(
        [
          'run',
          'datasets/smoke.csv',
          '--base-url',
          mock.url,
          '--no-progress',
          '--retries',
          '0',
          '--max-error-rate',
          '0.05',
          '-o',
          out,
        ],
        { STEP_API_KEY: 'k-123456' },
      );
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/FAILED\s+\d+ of 10 jobs .* above --max-error-rate 5\.0%/);
      expect(r.stdout).toMatch(/http_5xx\s+×\d+/);
    });
  });

  it('1: a failed --gate fails the run; the console and report say which and what was measured', async () => {
    const out = join(dir, 'gates');
    const r = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--gate',
      'ttft.p95<1ms',
      '--gate',
      'success_rate>=0.9',
      '-o',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gates\s+1 of 2 FAILED/);
    expect(r.stdout).toMatch(/FAIL {2}step-3\.7-flash: ttft\.p95<1ms \(measured \d/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.gates.map((g: { pass: boolean }) => g.pass)).toEqual([false, true]);
    const bad = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--gate',
      'ttft.p95<2',
      '-o',
      join(dir, 'gate-bad'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --gate 'ttft\.p95<2': '2' has no unit/);
    noStack(bad.stderr);
  });

  it('0: a run against the mock prints a summary and writes results and report', async () => {
    const out = join(dir, 'ok');
    const r = await runCli(['run', 'datasets/smoke.csv', '--mock', '--no-progress', '-c', '4', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step-3\.7-flash/);
    expect(r.stdout).toMatch(/p95/);
    expect((await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).version).toBe(1);
  });

  it('2: a malformed row names file and line, with no stack trace, before any request', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"prompt":"one"}\n{"messages": "not a list"}\n');
    const r = await runCli(['run', file, '--mock', '--no-progress', '-o', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:`);
    noStack(r.stderr);
    expect(existsSync(join(dir, 'bad', 'results.jsonl'))).toBe(false);
  });

  it('2: a missing key suggests --mock', async () => {
    const r = await runCli(['run', 'datasets/smoke.csv', '--no-progress', '-o', join(dir, 'nokey')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STEP_API_KEY is not set/);
    expect(r.stderr).toMatch(/--mock/);
    noStack(r.stderr);
  });

  it('2: unknown flags and missing files are usage errors', async () => {
    const a = await runCli(['run', 'datasets/smoke.csv', '--concurency', '3']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/concurency/);
    const b = await runCli(['run', join(dir, 'nope.csv'), '--mock']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/dataset not found/);
    noStack(b.stderr);
  });

  it('3: a rejected key stops the run and says what to do, without printing the key', async () => {
    await withMock({ apiKey: 'the-right-key', ttftMs: 1 }, async (mock) => {
      const r = await runCli(
        [
          'run',
          'datasets/capacity.csv',
          '--base-url',
          mock.url,
          '--no-progress',
          '-c',
          '2',
          '-o',
          join(dir, 'auth'),
        ],
        { STEP_API_KEY: 'sk-wrong-key-42' },
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/API key was rejected/);
      expect(r.stderr + r.stdout).not.toContain('sk-wrong-key-42');
      expect(await readFile(join(dir, 'auth', 'report.json'), 'utf8')).not.toContain('sk-wrong-key-42');
      expect(mock.stats.requests).toBeLessThan(10);
    });
  });

  it('130: SIGINT stops dispatching, waits for in-flight requests and writes a valid report', async () => {
    await withMock({ ttftMs: 50, interTokenMs: 10, replyTokens: 10 }, async (mock) => {
      const out = join(dir, 'sigint');
      const child = spawnCli(
        ['run', 'datasets/capacity.csv', '--base-url', mock.url, '--no-progress', '-c', '4', '-o', out],
        {
          STEP_API_KEY: 'k-123456',
        },
      );
      const done = finished(child);
      // Interrupt once a few requests have completed.
      while (mock.stats.records.filter((r) => r.status === 200).length < 8)
        await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
      const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(8);
      expect(lines.length).toBeLessThan(200);
      expect(report.targets[0].summary.requests).toBe(lines.length);
      expect(report.aborted.reason).toMatch(/interrupted/);
    });
  });

  it('capacity against the mock prints the curve and a one-line answer', async () => {
    const out = join(dir, 'capacity');
    const r = await runCli([
      'capacity',
      'datasets/smoke.csv',
      '--mock',
      '--max',
      '4',
      '--step-duration',
      '400ms',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^concurrency +req\/s/m);
    expect(r.stdout).toMatch(/sustainable: concurrency 4/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.capacity.curve.map((p: { load: number }) => p.load)).toEqual([1, 2, 4]);
    expect(report.phases.map((p: { name: string }) => p.name)).toEqual(['c=1', 'c=2', 'c=4']);
  });

  it('130: a second SIGINT aborts in-flight requests, records them as interrupted and still writes', async () => {
    await withMock({ ttftMs: 30_000, replyTokens: 4 }, async (mock) => {
      const out = join(dir, 'sigint2');
      const child = spawnCli(
        ['run', 'datasets/smoke.csv', '--base-url', mock.url, '--no-progress', '-c', '3', '-o', out],
        {
          STEP_API_KEY: 'k-123456',
        },
      );
      const done = finished(child);
      while (mock.stats.inFlight < 3) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      // The second signal only once the child says it handled the first (not after a fixed pause
      // a loaded machine can overrun): the replies take 30 s, so all three are still in flight.
      await stderrLine(child, /no new requests; waiting for those in flight/);
      expect(mock.stats.inFlight).toBe(3);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      const lines = (await readFile(join(out, 'results.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(3);
      expect(lines.every((l: { outcome: string }) => l.outcome === 'interrupted')).toBe(true);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
      expect(report.targets[0].summary.outcomes.interrupted).toBe(3);
    });
  });

  it('--help shows examples for run and mock', async () => {
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/--mock/);
    const mock = await runCli(['mock', '--help']);
    expect(mock.code).toBe(0);
    expect(mock.stdout).toMatch(/Examples:/);
  });
});
