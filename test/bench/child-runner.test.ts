import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLastJsonLine, processCost, runClientProcess } from '../../bench/lib/child-runner.mjs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-child-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseLastJsonLine', () => {
  it('takes the last line, ignoring chatter before it', () => {
    expect(parseLastJsonLine('starting\n{"a":1}\n{"b":2}\n')).toEqual({ b: 2 });
    expect(() => parseLastJsonLine('')).toThrow(/printed nothing/);
  });
});

describe('runClientProcess', () => {
  it('passes the config in and the last JSON line out', async () => {
    const script = join(dir, 'echo.mjs');
    await writeFile(
      script,
      "const c = JSON.parse(process.argv[2]);\nconsole.log('noise');\nconsole.log(JSON.stringify({ got: c.n * 2, pid: process.pid }));\n",
    );
    const out = await runClientProcess(script, { n: 21 });
    expect(out.got).toBe(42);
    // Its own process, so CPU and RSS measured there are its own.
    expect(out.pid).not.toBe(process.pid);
  });

  it('rejects when the child fails', async () => {
    const script = join(dir, 'fail.mjs');
    await writeFile(script, 'process.exit(3);\n');
    await expect(runClientProcess(script, {})).rejects.toThrow(/code 3/);
  });
});

describe('processCost', () => {
  it('reports CPU spent since the baseline and a plausible RSS', () => {
    const since = process.cpuUsage();
    const until = performance.now() + 30;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const cost = processCost(since, 30);
    expect(x).toBeGreaterThan(0);
    expect(cost.cpuUserMs + cost.cpuSystemMs).toBeGreaterThan(5);
    expect(cost.cpuPercent).toBeGreaterThan(0);
    expect(cost.maxRssMB).toBeGreaterThan(10);
  });
});
