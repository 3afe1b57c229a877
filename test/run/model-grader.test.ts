import { afterEach, describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { GRADER_MARKER } from '../../src/eval/grading-prompt.js';
import type { Target } from '../../src/plan/types.js';
import { ModelGrader } from '../../src/run/model-grader.js';
import { type LoopbackServer, startLoopbackServer } from '../client/loopback-server.js';

const KEY = 'sk-grader-secret-123';

function graderTarget(origin: string): Target {
  return {
    name: 'grader',
    baseUrl: `${origin}/v1`,
    model: 'judge-model',
    apiKey: KEY,
    apiKeyEnv: 'GRADER_KEY',
    headers: {},
    params: { temperature: 0 },
    stream: false,
    streamUsage: false,
  };
}

function completion(content: string) {
  return JSON.stringify({
    id: 'c1',
    object: 'chat.completion',
    created: 1,
    model: 'judge-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
  });
}

function grader(server: LoopbackServer, retries = 2): ModelGrader {
  return new ModelGrader({
    target: graderTarget(server.origin),
    retryPolicy: { retries, baseMs: 1, capMs: 5 },
    timeouts: { connectMs: 5_000, firstTokenMs: 10_000, idleMs: 10_000, totalMs: 10_000 },
    connections: 2,
    clock: realClock,
    random: () => 0.5,
    abort: new AbortController().signal,
  });
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup) await fn();
  cleanup = [];
});

describe('ModelGrader', () => {
  it('sends the grading prompt non-streaming at temperature 0, retries a 429, reads a fenced verdict and counts usage once', async () => {
    let calls = 0;
    const server = await startLoopbackServer((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"slow down","type":"rate_limited"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion('```json\n{"pass": true, "score": 0.8, "reason": "names Paris"}\n```'));
    });
    const g = grader(server);
    cleanup.push(
      () => server.close(),
      () => g.close(),
    );
    const verdict = await g.grade('Names "Paris"', 'Paris.', { vars: {} });
    expect(verdict).toEqual({ pass: true, score: 0.8, reason: 'grader judge-model: names Paris' });
    expect(server.requests).toHaveLength(2);
    const body = JSON.parse(server.requests[1]!.body);
    expect(body).toMatchObject({ model: 'judge-model', stream: false, temperature: 0 });
    expect(body.messages[0].content).toContain(GRADER_MARKER);
    expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[1]!.body).not.toContain(KEY);
    expect(g.stats()).toMatchObject({
      model: 'judge-model',
      apiKeyEnv: 'GRADER_KEY',
      requests: 2,
      verdicts: 1,
      errors: 0,
      usage: { promptTokens: 40, completionTokens: 10, totalTokens: 50 },
      cost: { total: null, reason: 'unknown price' },
    });
    expect(JSON.stringify(g.stats())).not.toContain(KEY);
  });

  it('an unreadable answer rejects with the problem and an excerpt, and counts as an error', async () => {
    const server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion('Looks good to me!'));
    });
    const g = grader(server);
    cleanup.push(
      () => server.close(),
      () => g.close(),
    );
    await expect(g.grade('r', 'o', { vars: {} })).rejects.toThrow(
      /^grader judge-model answered no JSON verdict: "Looks good to me!"$/,
    );
    expect(g.stats()).toMatchObject({ requests: 1, verdicts: 0, errors: 1 });
  });

  it('a 401 is not retried and rejects naming the status, without the key', async () => {
    const server = await startLoopbackServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(`{"error":{"message":"bad key ${KEY}","type":"invalid_api_key"}}`);
    });
    const g = grader(server);
    cleanup.push(
      () => server.close(),
      () => g.close(),
    );
    const error = (await g.grade('r', 'o', { vars: {} }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^grader judge-model gave no verdict \(http_4xx\): HTTP 401/);
    expect(error.message).not.toContain(KEY);
    expect(g.stats()).toMatchObject({ requests: 1, errors: 1 });
  });
});
