import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../src/client/types.js';
import type { Job } from '../../src/plan/types.js';
import { readResults } from '../../src/results/reader.js';
import { attemptRecord, buildJobResult } from '../../src/results/record.js';
import { ResultsWriter } from '../../src/results/writer.js';

const job: Job = {
  index: 0,
  key: 'r1|m|0',
  repeat: 0,
  row: {
    id: 'r1',
    source: { file: 'd.csv', line: 2 },
    messages: [{ role: 'user', content: 'hi' }],
    params: {},
    tags: ['t'],
    vars: { city: '杭州' },
  },
  target: {
    name: 'm',
    model: 'step-3.7-flash',
    baseUrl: 'http://x/v1',
    apiKeyEnv: 'K',
    apiKey: 'secret-key-1234',
    headers: {},
    params: {},
    stream: true,
    streamUsage: false,
  },
};

const attempt: AttemptResult = {
  outcome: 'ok',
  status: 200,
  traceId: 'trace-1',
  times: { sentAt: 1010, headersAt: 1012, firstTokenAt: 1030, firstAnswerAt: 1040, endAt: 1110 },
  tokenTimes: [1030, 1040, 1055, 1110],
  text: '你好',
  reasoning: 'think',
  toolCalls: [],
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, source: 'server' },
};

describe('buildJobResult', () => {
  it('derives the DESIGN §3 durations from the final attempt', () => {
    const r = buildJobResult(job, attempt, [attemptRecord(attempt, 1, 1000, 0)], {
      runStart: 1000,
      scheduledAt: 1004,
      dispatchedAt: 1008,
    });
    expect(r.durations).toEqual({ ttfb: 2, ttft: 20, ttfa: 30, e2e: 100, latency: 106, queue: 4, tpot: 20 });
    expect(r.itl).toEqual([10, 15, 55]);
    expect(r.times.sentAt).toBe(10);
    expect(r.output).toBe('你好');
    expect(r.vars).toEqual({ city: '杭州' });
    expect(JSON.stringify(r)).not.toContain('secret-key-1234');
  });

  it('leaves ttft and tpot out when no token arrived', () => {
    const failed: AttemptResult = {
      ...attempt,
      outcome: 'http_5xx',
      status: 500,
      times: { sentAt: 1010, headersAt: 1012, endAt: 1013 },
      tokenTimes: [],
      text: '',
      usage: { promptTokens: 10, completionTokens: 0, totalTokens: 10, source: 'estimated' },
    };
    const r = buildJobResult(job, failed, [], { runStart: 1000, scheduledAt: 1010, dispatchedAt: 1010 });
    expect(r.durations.ttft).toBeUndefined();
    expect(r.durations.tpot).toBeUndefined();
    expect(r.itl).toEqual([]);
  });
});

describe('results.jsonl', () => {
  it('round-trips through writer and reader', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-res-'));
    const path = join(dir, 'results.jsonl');
    const w = await ResultsWriter.open(path);
    const r = buildJobResult(job, attempt, [], { runStart: 1000, scheduledAt: 1000, dispatchedAt: 1000 });
    w.write(r);
    w.write({ ...r, key: 'r1|m|1' });
    await w.close();
    const back = [];
    for await (const x of readResults(path)) back.push(x);
    expect(back.map((x) => x.key)).toEqual(['r1|m|0', 'r1|m|1']);
    expect(back[0]).toEqual(r);
  });

  it('tolerates a torn last line but names a bad line in the middle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-res-'));
    const r = buildJobResult(job, attempt, [], { runStart: 1000, scheduledAt: 1000, dispatchedAt: 1000 });
    const torn = join(dir, 'torn.jsonl');
    await writeFile(torn, `${JSON.stringify(r)}\n{"v":1,"key":"cut`);
    const tornAt: number[] = [];
    const got = [];
    for await (const x of readResults(torn, (l) => tornAt.push(l))) got.push(x);
    expect(got).toHaveLength(1);
    expect(tornAt).toEqual([2]);

    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `{oops\n${JSON.stringify(r)}\n`);
    await expect(async () => {
      for await (const _ of readResults(bad)) void _;
    }).rejects.toThrow(/bad\.jsonl:1: not valid JSON/);
    expect((await readFile(bad, 'utf8')).length).toBeGreaterThan(0);
  });
});
