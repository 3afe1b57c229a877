import type { AttemptResult, OutcomeClass } from '../../src/client/types.js';
import type { Job, Target } from '../../src/plan/types.js';
import type { SendAttempt } from '../../src/run/job-runner.js';
import type { FakeClock } from '../helpers/fake-clock.js';

export const testTarget: Target = {
  name: 'fake-model',
  baseUrl: 'http://fake.invalid/v1',
  model: 'fake-model',
  apiKeyEnv: 'FAKE_KEY',
  headers: {},
  params: {},
  stream: true,
  streamUsage: false,
};

export function testJob(index: number, target: Target = testTarget): Job {
  return {
    index,
    key: `row${index}|${target.name}|0`,
    row: {
      id: `row${index}`,
      source: { file: 'fake.jsonl', line: index + 1 },
      messages: [{ role: 'user', content: `question ${index}` }],
      params: {},
      tags: [],
      vars: {},
    },
    target,
    repeat: 0,
  };
}

export async function* testJobs(n: number): AsyncGenerator<Job> {
  for (let i = 0; i < n; i++) yield testJob(i);
}

/** How the fake server answers one attempt. */
export interface FakeReply {
  outcome: OutcomeClass;
  status?: number;
  headers?: Record<string, string>;
  /** How long the answer takes on the fake clock; default 0 (an instant answer, as a 429 often is). */
  latencyMs?: number;
}

/** An attempt result as the client would build it, stamped on the fake clock. */
export function attemptResult(reply: FakeReply, sentAt: number, endAt: number): AttemptResult {
  const answered = reply.outcome === 'ok';
  return {
    outcome: reply.outcome,
    ...(reply.status !== undefined ? { status: reply.status } : answered ? { status: 200 } : {}),
    ...(reply.headers ? { headers: reply.headers } : {}),
    times: { sentAt, endAt, ...(answered ? { headersAt: sentAt, firstTokenAt: endAt } : {}) },
    tokenTimes: answered ? [endAt] : [],
    text: answered ? 'answer' : '',
    reasoning: '',
    toolCalls: [],
    usage: {
      promptTokens: 3,
      completionTokens: answered ? 1 : 0,
      totalTokens: answered ? 4 : 3,
      source: 'server',
    },
  };
}

/**
 * A chat server on fake time, as a `SendAttempt`: `decide` picks each attempt's reply from the
 * attempt count so far and the requests it is answering (the one being decided not included;
 * like a real gateway, requests it refuses with a 429 count toward nothing). It records every
 * send, so tests count what "the server saw".
 */
export class FakeServer {
  readonly sends: Array<{ at: number; job: string; outcome: OutcomeClass }> = [];
  inFlight = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly decide: (info: { n: number; inFlight: number; job: Job }) => FakeReply,
  ) {}

  readonly send: SendAttempt = async (job, signal) => {
    const sentAt = this.clock.now();
    const reply = this.decide({ n: this.sends.length, inFlight: this.inFlight, job });
    this.sends.push({ at: sentAt, job: job.key, outcome: reply.outcome });
    const admitted = reply.outcome !== 'rate_limited';
    if (admitted) this.inFlight++;
    try {
      if (reply.latencyMs) await this.clock.sleep(reply.latencyMs, signal);
      if (signal.aborted) return attemptResult({ outcome: 'interrupted' }, sentAt, this.clock.now());
      return attemptResult(reply, sentAt, this.clock.now());
    } finally {
      if (admitted) this.inFlight--;
    }
  };

  count(outcome: OutcomeClass): number {
    return this.sends.filter((s) => s.outcome === outcome).length;
  }
}

export const RATE_LIMITED: FakeReply = { outcome: 'rate_limited', status: 429 };
