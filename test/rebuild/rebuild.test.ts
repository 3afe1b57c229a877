import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacity } from '../../src/capacity/run-capacity.js';
import { UserError } from '../../src/errors.js';
import { rebuildReports } from '../../src/rebuild/rebuild.js';
import { readRunFile } from '../../src/report/run-file.js';
import type { Report } from '../../src/report/schema.js';
import { run } from '../../src/run/run.js';

const FAST = { ttftMs: 1, interTokenMs: 1, replyTokens: 4 };
const MODELS = ['step-3.7-flash', 'step-3.5-flash'];
const always = { type: 'not-contains', value: 'zebra-quartz' };
const never = { type: 'contains', value: 'zebra-quartz' };

/** Parts of a live report that a rebuilt one leaves out (rebuilt.missing's top-level names). */
const LIVE_ONLY = new Set(['health', 'phases', 'aborted', 'grader', 'capacity']);
/** Parts that differ by nature: when the report was made, and what the rebuild says of itself. */
const STAMPS = new Set(['generatedAt', 'rebuilt']);

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stepbench-rebuild-'));
}

async function dataset(dir: string, name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

async function readJson(path: string): Promise<Report> {
  return JSON.parse(await readFile(path, 'utf8')) as Report;
}

const text = (path: string) => readFile(path, 'utf8');

/** Sum of one timeline column: what the attempts say, whichever second they fell in. */
const column = (r: Report, key: 'started' | 'completed' | 'errors' | 'rateLimited' | 'retries') =>
  (r.timeline?.buckets ?? []).reduce((n, b) => n + b[key], 0);

/**
 * The property `stepbench report` promises: every part of the run's report that its results and
 * run.json hold comes out equal, field for field; the live-only parts are absent and listed.
 */
function expectRebuiltEqual(original: Report, rebuilt: Report): void {
  const keys = new Set([...Object.keys(original), ...Object.keys(rebuilt)]);
  for (const key of keys) {
    if (STAMPS.has(key)) continue;
    const a = original[key as keyof Report];
    const b = rebuilt[key as keyof Report];
    if (LIVE_ONLY.has(key)) {
      expect(b, key).toBeUndefined();
      if (a !== undefined) expect(rebuilt.rebuilt?.missing, key).toContain(key);
    } else if (key === 'run') {
      const { endedAt, wallMs, ...rest } = original.run;
      expect(rebuilt.run).toMatchObject(rest);
      expect(rebuilt.rebuilt?.estimated).toEqual(expect.arrayContaining(['run.endedAt', 'run.wallMs']));
    } else if (key === 'limits') {
      const { finalConcurrency, learnedRatePerSec, episodes, refusals, boundBy, ...configured } =
        original.limits ?? ({} as NonNullable<Report['limits']>);
      expect(rebuilt.limits).toMatchObject(configured);
    } else if (key === 'timeline') {
      expect(rebuilt.timeline?.events).toEqual([]);
      // A resumed run's live timeline is its last segment's; the rebuilt one covers every segment.
      if (original.resumed) continue;
      for (const k of ['started', 'completed', 'errors', 'rateLimited', 'retries'] as const)
        expect(column(rebuilt, k), `timeline ${k}`).toBe(column(original, k));
    } else {
      expect(b, key).toEqual(a);
    }
  }
  expect(original.rebuilt).toBeUndefined();
  expect(rebuilt.rebuilt?.from[0]).toBe('results.jsonl');
  expect(rebuilt.rebuilt?.missing).toEqual(expect.arrayContaining(['health', 'phases', 'timeline.events']));
}

describe('stepbench report: a finished run rebuilt from its results', () => {
  let dir: string;
  let out: string;
  let original: Report;
  let originalExit: number;

  beforeAll(async () => {
    dir = await folder();
    const rows = await dataset(dir, 'rows.jsonl', [
      { id: 'pass1', prompt: 'hi', assert: [always] },
      { id: 'fail1', prompt: 'hello', assert: [never] },
      { id: 'pass2', prompt: 'hi there', assert: [always, { type: 'max-tokens', value: 100 }] },
      { id: 'plain', prompt: 'no checks' },
    ]);
    out = join(dir, 'run');
    const outcome = await run({
      datasets: [rows],
      mock: FAST,
      models: MODELS,
      repeat: 2,
      warmup: '2',
      concurrency: 3,
      slos: ['ttft.p95<30s', 'e2e<60s'],
      gates: ['pass_rate>=0.9', 'error_rate<0.5', 'slo'],
      out,
    });
    originalExit = outcome.exitCode;
    original = await readJson(outcome.reportPath);
  });

  it('writes run.json before the run, with the configuration the report shows', async () => {
    const saved = await readRunFile(out);
    expect(saved).toMatchObject({
      v: 1,
      command: 'run',
      id: original.run.id,
      startedAt: original.run.startedAt,
      repeat: 2,
      slos: ['ttft.p95<30s', 'e2e<60s'],
      gates: ['pass_rate>=0.9', 'error_rate<0.5', 'slo'],
      dataset: original.dataset,
      environment: original.environment,
      options: original.run.options,
      commandLine: original.run.command,
    });
    expect(saved?.targets.map((t) => [t.name, t.price])).toEqual(
      original.targets.map((t) => [t.name, t.price ?? undefined]),
    );
  });

  it('yields the same report.json, summary.md and junit.xml (into --out)', async () => {
    const again = join(dir, 'again');
    const rebuilt = await rebuildReports(out, { out: again });
    expect(rebuilt.outDir).toBe(again);
    expect(original.targets).toHaveLength(2);
    expect(original.repeats?.k).toBe(2);
    expect(original.gates?.length).toBeGreaterThan(0);
    // Warmups were left out of the statistics live, and are again.
    const lines = (await text(join(out, 'results.jsonl'))).split('\n').filter((l) => l !== '');
    const warmups = lines.filter((l) => (JSON.parse(l) as { warmup?: boolean }).warmup).length;
    expect(warmups).toBe(2);
    expect(original.targets.reduce((n, t) => n + t.summary.requests, 0)).toBe(lines.length - warmups);
    expectRebuiltEqual(original, await readJson(rebuilt.reportPath));
    expect(await text(rebuilt.summaryPath)).toBe(await text(join(out, 'summary.md')));
    expect(await text(rebuilt.junitPath)).toBe(await text(join(out, 'junit.xml')));
    // The failing row failed the pass-rate gate live (exit 1); the rebuild agrees.
    expect(originalExit).toBe(1);
    expect(rebuilt.exitCode).toBe(1);
    expect(await text(join(out, 'report.json'))).toBe(`${JSON.stringify(original, null, 2)}\n`);
  });

  it('rebuilds in place by default', async () => {
    const copy = join(dir, 'in-place');
    await cp(out, copy, { recursive: true });
    const rebuilt = await rebuildReports(copy);
    expect(rebuilt.reportPath).toBe(join(copy, 'report.json'));
    const report = await readJson(join(copy, 'report.json'));
    expect(report.rebuilt?.from).toEqual(['results.jsonl', 'run.json']);
    expect(report.targets).toEqual(original.targets);
  });

  it('a run of an older stepbench (no run.json) is rebuilt from its report.json', async () => {
    const old = join(dir, 'old');
    await cp(out, old, { recursive: true });
    await rm(join(old, 'run.json'));
    const rebuilt = await rebuildReports(old);
    expect(rebuilt.report.rebuilt?.from).toEqual(['results.jsonl', 'report.json']);
    expectRebuiltEqual(original, rebuilt.report);
    expect(await text(rebuilt.junitPath)).toBe(await text(join(out, 'junit.xml')));
  });

  it('a killed run (cut-off last line, no report) gets every output from what it recorded', async () => {
    const killed = join(dir, 'killed');
    await mkdir(killed);
    await cp(join(out, 'run.json'), join(killed, 'run.json'));
    const lines = (await text(join(out, 'results.jsonl'))).split('\n').filter((l) => l !== '');
    const kept = lines.slice(0, 7);
    await writeFile(
      join(killed, 'results.jsonl'),
      `${kept.join('\n')}\n${(lines[7] as string).slice(0, 40)}`,
    );
    const rebuilt = await rebuildReports(killed);
    expect(rebuilt.report.rebuilt?.tornLine).toBe(8);
    const counted = kept.filter((l) => !(JSON.parse(l) as { warmup?: boolean }).warmup).length;
    expect(rebuilt.report.targets.reduce((n, t) => n + t.summary.requests, 0)).toBe(counted);
    expect(await text(rebuilt.junitPath)).toMatch(new RegExp(`<testsuites [^>]*tests="${counted}"`));
    expect(await text(rebuilt.summaryPath)).toMatch(/^## stepbench run /);
  });

  it('--baseline compares the rebuilt run with an earlier one (report.baseline)', async () => {
    const compared = join(dir, 'compared');
    const rebuilt = await rebuildReports(out, { out: compared, baseline: out });
    const report = await readJson(rebuilt.reportPath);
    expect(report.baseline?.baseline.path).toBe(out);
    expect(report.baseline?.rows?.compared).toBe(
      original.targets.reduce((n, t) => n + t.summary.requests, 0),
    );
    expect(report.baseline?.regressions).toEqual([]);
    expect(await text(rebuilt.summaryPath)).toMatch(/### Baseline: /);
  });
});

describe('stepbench report: other runs', () => {
  it('a resumed run: the same report as the resumed run wrote, resumed counts included', async () => {
    const dir = await folder();
    const out = join(dir, 'run');
    const options = { datasets: ['datasets/smoke.csv'], mock: FAST, models: MODELS, concurrency: 1, out };
    const stop = new AbortController();
    let seen = 0;
    const first = await run(
      { ...options, stop: stop.signal },
      { onResult: () => ++seen === 5 && stop.abort() },
    );
    expect(first.exitCode).toBe(130);
    const { out: _, ...rest } = options;
    const second = await run({ ...rest, resume: out });
    expect(second.exitCode).toBe(0);
    const original = await readJson(second.reportPath);
    expect(original.resumed?.kept).toBeGreaterThanOrEqual(5);
    const summary = await text(join(out, 'summary.md'));
    const junit = await text(join(out, 'junit.xml'));
    const rebuilt = await rebuildReports(out);
    expect(rebuilt.report.resumed).toEqual(original.resumed);
    expect(column(rebuilt.report, 'started')).toBe(20);
    expectRebuiltEqual(original, rebuilt.report);
    expect(await text(join(out, 'summary.md'))).toBe(summary);
    expect(await text(join(out, 'junit.xml'))).toBe(junit);
    expect(rebuilt.exitCode).toBe(0);
  });

  it('a capacity search: the figures again, its answer listed as missing', async () => {
    const dir = await folder();
    const outcome = await capacity({
      datasets: ['datasets/smoke.csv'],
      mock: FAST,
      max: 2,
      stepRequests: 6,
      out: join(dir, 'capacity'),
    });
    const original = await readJson(outcome.reportPath);
    const rebuilt = await rebuildReports(outcome.outDir, { out: join(dir, 'again') });
    expect(rebuilt.report.rebuilt?.missing).toContain('capacity');
    expectRebuiltEqual(original, rebuilt.report);
    expect(await text(rebuilt.junitPath)).toBe(await text(outcome.junitPath));
  });
});

describe('stepbench report: bad input is refused, naming what is wrong', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder();
  });

  const refused = async (promise: Promise<unknown>, message: RegExp) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
  };

  it('a folder that does not exist', async () => {
    await refused(rebuildReports(join(dir, 'nope')), /no run folder at .*nope/);
  });

  it('a folder without results.jsonl', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await refused(rebuildReports(empty), /empty holds no results\.jsonl/);
  });

  it('results without run.json or report.json', async () => {
    const bare = join(dir, 'bare');
    await mkdir(bare);
    await writeFile(join(bare, 'results.jsonl'), '');
    await refused(rebuildReports(bare), /neither run\.json nor report\.json/);
  });

  it('a corrupt line in the middle of results.jsonl names file and line', async () => {
    const source = join(dir, 'source');
    await run({ datasets: ['datasets/smoke.csv'], mock: FAST, concurrency: 2, out: source });
    const lines = (await text(join(source, 'results.jsonl'))).split('\n');
    lines[2] = '{"v":1,"key":';
    await writeFile(join(source, 'results.jsonl'), lines.join('\n'));
    await refused(rebuildReports(source), /results\.jsonl:3: not valid JSON/);
  });

  it('--max-regression without --baseline, and a baseline that is not a run', async () => {
    const source = join(dir, 'source');
    await refused(rebuildReports(source, { maxRegression: ['ttft.p95:+20%'] }), /no baseline was given/);
    await refused(rebuildReports(source, { baseline: join(dir, 'nope') }), /not found/);
  });

  it('--out pointing at another run', async () => {
    const other = join(dir, 'other');
    await run({ datasets: ['datasets/smoke.csv'], mock: FAST, out: other });
    await refused(rebuildReports(other, { out: join(dir, 'source') }), /holds another run's results\.jsonl/);
  });
});

describe('stepbench report: a gzip-compressed shard', () => {
  it('reads results.jsonl.gz, keeps the shard and the model comparison', async () => {
    const dir = await folder();
    const rows = await dataset(
      dir,
      'rows.jsonl',
      Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, prompt: `question ${i}`, assert: [always] })),
    );
    const out = join(dir, 'shard');
    const outcome = await run({
      datasets: [rows],
      mock: FAST,
      models: MODELS,
      reference: 'step-3.5-flash',
      shard: '1/2',
      resultsGzip: true,
      out,
    });
    expect(outcome.resultsPath).toBe(join(out, 'results.jsonl.gz'));
    const original = await readJson(outcome.reportPath);
    expect(original.shard).toEqual({ index: 1, count: 2 });
    expect(original.comparison?.reference).toBe('step-3.5-flash');
    const rebuilt = await rebuildReports(out, { out: join(dir, 'again') });
    const report = await readJson(rebuilt.reportPath);
    expect(report.rebuilt?.from[0]).toBe('results.jsonl.gz');
    expect(report.shard).toEqual(original.shard);
    expect(report.comparison).toEqual(original.comparison);
    expect(report.targets).toEqual(original.targets);
  });
});
