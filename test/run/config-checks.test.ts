import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

const env = { STEP_API_KEY: 'k-config-checks' };
const FAST = { ttftMs: 1, interTokenMs: 0, replyTokens: 4 };

async function results(path: string): Promise<JobResult[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JobResult);
}

describe('checks from the config file', () => {
  it('defaultAssert applies to every row of every target, a target’s assert to its answers only, after the row’s own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-config-checks-'));
    const path = join(dir, 'rows.jsonl');
    await writeFile(
      path,
      [
        JSON.stringify({ id: 'bare', prompt: 'hi' }),
        JSON.stringify({
          id: 'own',
          prompt: 'hello',
          assert: [{ type: 'not-icontains', value: 'sorry-zebra' }],
        }),
      ].join('\n'),
    );
    await withMock(FAST, async (mock) => {
      const config = join(dir, 'stepbench.yaml');
      await writeFile(
        config,
        [
          'defaults:',
          `  baseUrl: ${mock.url}`,
          'defaultAssert:',
          '  - type: not-contains',
          '    value: zebra-quartz',
          'targets:',
          '  - model: step-3.7-flash',
          '  - model: step-3.5-flash',
          '    assert:',
          '      - type: contains',
          '        value: zebra-quartz',
          '        label: strict',
        ].join('\n'),
      );
      const o = await run({ datasets: [path], config, env, out: join(dir, 'out') });
      const rs = await results(o.resultsPath);
      expect(rs).toHaveLength(4);
      const of = (target: string, row: string) => rs.find((r) => r.target === target && r.rowId === row)!;
      const types = (r: JobResult) => r.checks?.results.map((c) => c.label ?? c.type);

      expect(of('step-3.7-flash', 'bare').outcome).toBe('ok');
      expect(types(of('step-3.7-flash', 'bare'))).toEqual(['not-contains']);
      expect(types(of('step-3.7-flash', 'own'))).toEqual(['not-icontains', 'not-contains']);

      expect(of('step-3.5-flash', 'bare').outcome).toBe('assertion_failed');
      expect(types(of('step-3.5-flash', 'bare'))).toEqual(['not-contains', 'strict']);
      expect(types(of('step-3.5-flash', 'own'))).toEqual(['not-icontains', 'not-contains', 'strict']);
      expect(of('step-3.5-flash', 'own').checks?.results.at(-1)).toMatchObject({ pass: false });

      const outcomes = Object.fromEntries(o.report.targets.map((t) => [t.name, t.summary.outcomes]));
      expect(outcomes['step-3.7-flash']?.assertion_failed ?? 0).toBe(0);
      expect(outcomes['step-3.5-flash']?.assertion_failed).toBe(2);
      expect(o.exitCode).toBe(1);
    });
  });

  it('a bad default assertion stops the run before any request, naming the config file and the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-config-checks-'));
    const path = join(dir, 'rows.jsonl');
    await writeFile(path, '{"id": "a", "prompt": "hi"}\n');
    await withMock(FAST, async (mock) => {
      const config = join(dir, 'stepbench.yaml');
      await writeFile(
        config,
        `targets:\n  - model: step-3.7-flash\n  - model: step-3.5-flash\n    assert:\n      - {type: regex, value: "("}\n`,
      );
      const error = await run({
        datasets: [path],
        config,
        baseUrl: mock.url,
        env,
        out: join(dir, 'out'),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(
        /stepbench\.yaml: targets\[1\]\.assert\[0\] \(regex\): bad regex/,
      );
      expect(mock.stats.requests).toBe(0);
    });
  });
});
