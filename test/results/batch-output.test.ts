import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchOutputLine, batchOutputLine } from '../../src/results/batch-output.js';
import type { JobResult } from '../../src/results/types.js';
import { cliBuilt, runCli } from '../helpers/cli.js';

const options = { runStartedAtSec: 1_764_000_000, runId: 'reports/x' };

function result(over: Partial<JobResult>): JobResult {
  return {
    v: 1,
    key: 'batch-001|step-3.7-flash|0',
    index: 0,
    rowId: 'batch-001',
    target: 'step-3.7-flash',
    model: 'step-3.7-flash',
    repeat: 0,
    source: { file: 'in.jsonl', line: 1 },
    outcome: 'ok',
    status: 200,
    traceId: 'trace-1',
    responseId: 'chatcmpl-abc',
    finishReason: 'stop',
    times: { scheduledAt: 0, dispatchedAt: 0, sentAt: 1, endAt: 2500 },
    durations: { e2e: 2499, latency: 2500, queue: 0 },
    itl: [],
    usage: { promptTokens: 10, completionTokens: 4, totalTokens: 14, cachedTokens: 2, source: 'server' },
    output: 'Paris.',
    attempts: [],
    ...over,
  } as JobResult;
}

describe('Batch-API output lines', () => {
  it('an answer is a 200 response with a chat.completion body', () => {
    const line = batchOutputLine(result({ reasoning: 'The capital…' }), options);
    expect(line.custom_id).toBe('batch-001');
    expect(line.id).toMatch(/^batch_req_[0-9a-f]{24}$/);
    expect(line.error).toBeNull();
    expect(line.response).toEqual({
      status_code: 200,
      request_id: 'trace-1',
      body: {
        id: 'chatcmpl-abc',
        object: 'chat.completion',
        created: 1_764_000_002,
        model: 'step-3.7-flash',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Paris.', reasoning: 'The capital…' },
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 4,
          total_tokens: 14,
          prompt_tokens_details: { cached_tokens: 2 },
        },
      },
    });
  });

  it('tool calls come out in the API shape', () => {
    const line = batchOutputLine(
      result({
        output: '',
        finishReason: 'tool_calls',
        toolCalls: [
          { index: 0, id: 'call_9', type: 'function', name: 'get_weather', arguments: '{"city":"Suzhou"}' },
        ],
      }),
      options,
    );
    const choices = line.response?.body.choices as Array<{ message: Record<string, unknown> }>;
    const message = choices[0]?.message;
    expect(message?.tool_calls).toEqual([
      { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Suzhou"}' } },
    ]);
  });

  it("an error status keeps the server's message; a failure without a response is an error", () => {
    const refused = batchOutputLine(
      result({
        outcome: 'http_4xx',
        status: 400,
        error: { kind: 'http', message: 'Model step-3.7-flsh does not exist' } as never,
      }),
      options,
    );
    expect(refused.response?.status_code).toBe(400);
    expect(refused.response?.body).toEqual({
      error: { message: 'Model step-3.7-flsh does not exist', type: 'http_4xx' },
    });
    expect(refused.error).toBeNull();
    const dead = batchOutputLine(
      result({
        outcome: 'network',
        status: undefined,
        error: { kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' } as never,
      }),
      options,
    );
    expect(dead.response).toBeNull();
    expect(dead.error).toEqual({ code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('ids differ between runs and between jobs', () => {
    const a = batchOutputLine(result({}), options).id;
    expect(batchOutputLine(result({}), { ...options, runId: 'reports/y' }).id).not.toBe(a);
    expect(batchOutputLine(result({ key: 'batch-002|step-3.7-flash|0' }), options).id).not.toBe(a);
  });
});

describe('stepbench run --batch-output', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-batch-'));
  });

  it("a Batch input file's run writes one output line per custom_id, joined to the results", async () => {
    const file = join(dir, 'out.jsonl');
    const r = await runCli([
      'run',
      'datasets/batch-example.jsonl',
      '--mock',
      '--no-progress',
      '--out',
      join(dir, 'run'),
      '--batch-output',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`batch:   ${file}`);
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchOutputLine);
    const input = (await readFile('datasets/batch-example.jsonl', 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).custom_id);
    expect(lines.map((l) => l.custom_id).sort()).toEqual([...input].sort());
    const results = (await readFile(join(dir, 'run', 'results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JobResult);
    for (const line of lines) {
      const res = results.find((x) => x.rowId === line.custom_id);
      expect(line.response?.status_code).toBe(200);
      const body = line.response?.body as {
        choices: Array<{ message: { content: string } }>;
        usage: { total_tokens: number };
      };
      expect(body.choices[0]?.message.content).toBe(res?.output);
      expect(body.usage.total_tokens).toBe(res?.usage.totalTokens);
    }
  });

  it.each([
    [
      ['--model', 'step-3.7-flash', '--model', 'step-3.5-flash'],
      /one line per custom_id for one model, but this run has 2 targets/,
    ],
    [['--repeat', '2'], /--repeat 2: run one target without --repeat/],
  ])('refuses %j before the first request (exit 2)', async (extra, message) => {
    const r = await runCli([
      'run',
      'datasets/batch-example.jsonl',
      '--mock',
      '--no-progress',
      '--batch-output',
      join(dir, 'x.jsonl'),
      ...extra,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a folder that does not exist, before the first request', async () => {
    const r = await runCli([
      'run',
      'datasets/batch-example.jsonl',
      '--mock',
      '--no-progress',
      '--batch-output',
      '/nonexistent/dir/out.jsonl',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--batch-output \/nonexistent\/dir\/out\.jsonl: the folder \/nonexistent\/dir does not exist or is not writable/,
    );
  });
});
