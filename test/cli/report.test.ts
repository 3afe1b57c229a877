import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../helpers/cli.js';

const always = { type: 'not-contains', value: 'zebra-quartz' };
const never = { type: 'contains', value: 'zebra-quartz' };

async function rows(dir: string, name: string, check: unknown): Promise<string> {
  const path = join(dir, name);
  const lines = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ id: `r${i}`, prompt: `hi ${i}`, assert: [check] }),
  );
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const report = async (dir: string) => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));

describe('stepbench report <dir>', () => {
  let dir: string;
  let passing: string;
  let failing: string;

  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-report-cli-'));
    passing = join(dir, 'passing');
    failing = join(dir, 'failing');
    // Same rows, same ids: every answer passes in one run and fails in the other.
    const good = await rows(dir, 'good.jsonl', always);
    const bad = await rows(dir, 'bad.jsonl', never);
    const common = ['--mock', '--no-progress', '-c', '4'];
    const a = await runCli(['run', good, ...common, '-o', passing, '--gate', 'pass_rate>=0.9']);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(['run', bad, ...common, '-o', failing, '--gate', 'pass_rate>=0.9']);
    expect(b.code, b.stderr).toBe(1);
  });

  it('rebuilds in place, prints the summary, exits as the run did', async () => {
    const original = await report(failing);
    const junit = await readFile(join(failing, 'junit.xml'), 'utf8');
    const r = await runCli(['report', failing]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}step-3\.7-flash: pass_rate>=0\.9/);
    expect(r.stdout).toMatch(/rebuilt from results\.jsonl and run\.json/);
    const rebuilt = await report(failing);
    expect(rebuilt.rebuilt.missing).toContain('health');
    expect(rebuilt.targets).toEqual(original.targets);
    expect(rebuilt.gates).toEqual(original.gates);
    expect(await readFile(join(failing, 'junit.xml'), 'utf8')).toBe(junit);
  });

  it('--baseline: a regression against the baseline exits 1, and report.baseline says why', async () => {
    const out = join(dir, 'compared');
    const r = await runCli(['report', failing, '--baseline', passing, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const compared = await report(out);
    expect(compared.baseline.rows.regressed).toBe(12);
    expect(compared.baseline.regressions.map((x: { metric: string }) => x.metric)).toContain('pass_rate');
    // The run's own folder is left as it was.
    expect((await report(failing)).baseline).toBeUndefined();
  });

  it('--baseline with nothing worse exits 0 when the run passed', async () => {
    const out = join(dir, 'same');
    const r = await runCli(['report', passing, '--baseline', passing, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect((await report(out)).baseline.regressions).toEqual([]);
  });

  it('bad input exits 2 with a message naming it', async () => {
    const missing = await runCli(['report', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run folder at .*nope/);

    const empty = join(dir, 'empty');
    await mkdir(empty);
    const noResults = await runCli(['report', empty]);
    expect(noResults.code).toBe(2);
    expect(noResults.stderr).toMatch(/holds no results\.jsonl/);

    const corrupt = join(dir, 'corrupt');
    await cp(passing, corrupt, { recursive: true });
    const lines = (await readFile(join(corrupt, 'results.jsonl'), 'utf8')).split('\n');
    lines[4] = 'not json at all';
    await writeFile(join(corrupt, 'results.jsonl'), lines.join('\n'));
    const bad = await runCli(['report', corrupt]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/results\.jsonl:5: not valid JSON/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const alpha = await runCli(['report', passing, '--alpha', '0.1']);
    expect(alpha.code).toBe(2);
    expect(alpha.stderr).toMatch(/--alpha judges a comparison with a baseline/);
  });

  it('is listed among the commands', async () => {
    const r = await runCli([]);
    expect(r.stderr).toMatch(/Pick a command: run, capacity, compare, report, merge or mock/);
  });
});
