import { describe, expect, it } from 'vitest';
import type { DatasetRow } from '../../src/dataset/types.js';
import { countJobs, planJobs } from '../../src/plan/jobs.js';
import type { Target } from '../../src/plan/types.js';

const row = (id: string): DatasetRow => ({
  id,
  source: { file: 'd.csv', line: 2 },
  messages: [{ role: 'user', content: id }],
  params: {},
  tags: [],
  vars: {},
});
const target = (name: string): Target => ({
  name,
  baseUrl: 'http://x/v1',
  model: name,
  apiKeyEnv: 'K',
  headers: {},
  params: {},
  stream: true,
  streamUsage: false,
});
async function* rows(ids: string[]) {
  for (const id of ids) yield row(id);
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('planJobs', () => {
  it('expands rows × repeats × targets with unique keys, targets interleaved', async () => {
    const jobs = await collect(planJobs(() => rows(['a', 'b']), [target('m1'), target('m2')], { repeat: 2 }));
    expect(jobs.map((j) => j.key)).toEqual([
      'a|m1|0',
      'a|m2|0',
      'a|m1|1',
      'a|m2|1',
      'b|m1|0',
      'b|m2|0',
      'b|m1|1',
      'b|m2|1',
    ]);
    expect(jobs.map((j) => j.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(countJobs(2, 2, { repeat: 2 })).toBe(8);
  });

  it('cycles the dataset for --requests and keeps keys unique', async () => {
    const jobs = await collect(
      planJobs(() => rows(['a', 'b', 'c']), [target('m')], { repeat: 1, requests: 7 }),
    );
    expect(jobs).toHaveLength(7);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(7);
    expect(jobs[3]?.key).toBe('a|m|1');
  });

  it('an empty dataset is an error, not an endless loop', async () => {
    await expect(
      collect(planJobs(() => rows([]), [target('m')], { repeat: 1, requests: 5 })),
    ).rejects.toThrow(/no rows/);
  });
});
