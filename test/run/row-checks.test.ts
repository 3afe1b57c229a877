import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

const env = { STEP_API_KEY: 'k-checks' };

/** results.jsonl of a run, by row id. */
async function resultsByRow(path: string): Promise<Map<string, JobResult>> {
  const rs = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JobResult);
  return new Map(rs.map((r) => [r.rowId, r]));
}

async function dataset(lines: unknown[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-checks-'));
  const path = join(dir, 'rows.jsonl');
  await writeFile(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

describe('row checks in a run', () => {
  it('judges each answer: a failed check is assertion_failed with its reason, a passed one stays ok; exit 1', async () => {
    const path = await dataset([
      { id: 'never', prompt: 'hi', assert: [{ type: 'contains', value: 'zebra-quartz' }] },
      { id: 'always', prompt: 'hi', assert: [{ type: 'not-contains', value: 'zebra-quartz' }] },
      { id: 'plain', prompt: 'hi' },
    ]);
    await withMock({ ttftMs: 1, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const out = await mkdtemp(join(tmpdir(), 'stepbench-checks-out-'));
      const o = await run({ datasets: [path], baseUrl: mock.url, env, out });
      const byId = await resultsByRow(o.resultsPath);
      expect(byId.get('never')?.outcome).toBe('assertion_failed');
      expect(byId.get('never')?.checks?.results[0]).toMatchObject({ type: 'contains', pass: false });
      expect(byId.get('never')?.checks?.results[0]?.reason).toMatch(/zebra-quartz/);
      expect(byId.get('always')?.outcome).toBe('ok');
      expect(byId.get('always')?.checks?.pass).toBe(true);
      expect(byId.get('plain')?.checks).toBeUndefined();
      expect(o.report.targets[0]?.summary.outcomes.assertion_failed).toBe(1);
      expect(o.exitCode).toBe(1);
    });
  });

  it('a gate decides instead of single failures when one is given', async () => {
    const path = await dataset([
      { id: 'never', prompt: 'hi', assert: [{ type: 'contains', value: 'zebra-quartz' }] },
      { id: 'always', prompt: 'hi', assert: [{ type: 'not-contains', value: 'zebra-quartz' }] },
    ]);
    await withMock({ ttftMs: 1, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const out = await mkdtemp(join(tmpdir(), 'stepbench-checks-out-'));
      const o = await run({ datasets: [path], baseUrl: mock.url, env, out, gates: ['pass_rate>=0.5'] });
      expect(o.exitCode).toBe(0);
    });
  });

  it('reads CSV assert: columns as checks, not template variables; an empty cell means none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-checks-'));
    const path = join(dir, 'rows.csv');
    await writeFile(
      path,
      'id,prompt,assert:contains,assert:not-icontains\nfails,hi,zebra-quartz,\npasses,hi,,ZEBRA-QUARTZ\n',
    );
    await withMock({ ttftMs: 1, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const out = await mkdtemp(join(tmpdir(), 'stepbench-checks-out-'));
      const o = await run({ datasets: [path], baseUrl: mock.url, env, out });
      const byId = await resultsByRow(o.resultsPath);
      expect(byId.get('fails')?.outcome).toBe('assertion_failed');
      expect(byId.get('fails')?.checks?.results.map((r) => r.type)).toEqual(['contains']);
      expect(byId.get('passes')?.outcome).toBe('ok');
      expect(byId.get('passes')?.checks?.results.map((r) => r.type)).toEqual(['not-icontains']);
      expect(byId.get('fails')?.vars).toBeUndefined();
    });
  });

  it('refuses a bad assertion before any request, naming file and line', async () => {
    const path = await dataset([
      { id: 'a', prompt: 'hi' },
      { id: 'b', prompt: 'hi', assert: [{ type: 'regex', value: '(' }] },
    ]);
    await withMock({}, async (mock) => {
      const out = await mkdtemp(join(tmpdir(), 'stepbench-checks-out-'));
      const error = await run({ datasets: [path], baseUrl: mock.url, env, out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetError);
      expect(String((error as Error).message)).toMatch(/rows\.jsonl:2: .*regex/);
      expect(mock.stats.requests).toBe(0);
    });
  });
});
