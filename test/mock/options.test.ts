import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_MOCK_OPTIONS, resolveMockOptions } from '../../src/mock/options.js';

describe('resolveMockOptions', () => {
  test('no input gives the defaults', () => {
    const o = resolveMockOptions();
    expect(o).toEqual(DEFAULT_MOCK_OPTIONS);
    expect(o.host).toBe('127.0.0.1');
    expect(o.ttftMs).toBe(20);
    expect(o.interTokenMs).toBe(5);
    expect(o.replyTokens).toBe(32);
    expect(o.apiKey).toBeNull();
    expect(o.quirks.usage).toBe('cumulative');
  });

  test("limits and faults are off by default; the cap is StepFun's 10 minutes", () => {
    const o = resolveMockOptions();
    expect([o.tier, o.maxConcurrency, o.rpm, o.tpm, o.balanceRequests, o.moderationPattern]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(o.retryAfter).toBe('none');
    expect(o.errorRate500 + o.errorRate503 + o.stallRate + o.midStreamErrorRate + o.abruptCloseRate).toBe(0);
    expect(o.maxRequestMs).toBe(600_000);
  });

  test('rates summing to exactly 1 and balanceRequests 0 are allowed', () => {
    const o = resolveMockOptions({
      errorRate500: 0.5,
      errorRate503: 0.25,
      stallRate: 0.25,
      balanceRequests: 0,
    });
    expect(o.errorRate500).toBe(0.5);
    expect(o.balanceRequests).toBe(0);
  });

  test('partial quirks merge over the default quirks; undefined fields keep defaults', () => {
    const o = resolveMockOptions({ quirks: { crlf: true }, seed: undefined, replyTokens: 3 });
    expect(o.quirks.crlf).toBe(true);
    expect(o.quirks.finishReasonStyle).toBe('absent');
    expect(o.seed).toBe(0);
    expect(o.replyTokens).toBe(3);
  });

  test('limit shapes: sliding by default; bursts and a schedule string with a token bucket', () => {
    const d = resolveMockOptions();
    expect([d.rateLimitShape, d.rpmBurst, d.tpmBurst, d.limitSchedule]).toEqual(['sliding', null, null, []]);
    const o = resolveMockOptions({
      rateLimitShape: 'token-bucket',
      rpm: 600,
      rpmBurst: 10,
      limitSchedule: '0s:600,30s:300',
    });
    expect(o.limitSchedule).toEqual([
      { atMs: 0, change: { rpm: 600 } },
      { atMs: 30_000, change: { rpm: 300 } },
    ]);
    const steps = [{ atMs: 5_000, change: { rpmBurst: 3 } }];
    expect(
      resolveMockOptions({ rateLimitShape: 'token-bucket', limitSchedule: steps }).limitSchedule,
    ).toEqual(steps);
  });

  test('the result does not share the default models array', () => {
    resolveMockOptions().models.push('x');
    expect(DEFAULT_MOCK_OPTIONS.models).not.toContain('x');
  });

  test.each([
    [{ port: 70000 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ host: '' }, /host/],
    [{ apiKey: '' }, /apiKey/],
    [{ models: [] }, /models/],
    [{ seed: Number.NaN }, /seed/],
    [{ ttftMs: -1 }, /ttftMs/],
    [{ interTokenMs: { kind: 'uniform', min: 5, max: 1 } }, /interTokenMs/],
    [{ replyTokens: -2 }, /replyTokens/],
    [{ reasoningTokens: 0.5 }, /reasoningTokens/],
    [{ tokensPerChunk: 0 }, /tokensPerChunk/],
    [{ quirks: { usage: 'both' } }, /quirks\.usage/],
    [{ quirks: { finishReasonStyle: 'none' } }, /finishReasonStyle/],
    [{ quirks: { crlf: 'yes' } }, /quirks\.crlf/],
    [{ quirks: { tcpNoDelay: true } }, /quirks\.tcpNoDelay.*unknown/],
    [{ ttft: 5 }, /ttft .*unknown/],
    [{ tier: 'V6' }, /tier/],
    [{ maxConcurrency: 0 }, /maxConcurrency/],
    [{ rpm: 1.5 }, /rpm/],
    [{ tpm: -1 }, /tpm/],
    [{ retryAfter: 'minutes' }, /retryAfter/],
    [{ rateLimitShape: 'leaky-bucket' }, /rateLimitShape must be one of sliding, token-bucket, fixed-window/],
    [{ rateLimitShape: 'token-bucket', rpmBurst: 0 }, /rpmBurst must be an integer >= 1/],
    [{ tpmBurst: 100 }, /tpmBurst applies only with rateLimitShape 'token-bucket'/],
    [{ limitSchedule: '0s:600,soon:300' }, /limitSchedule: the 2nd entry "soon:300" has a bad time/],
    [{ limitSchedule: [{ atMs: -1, change: { rpm: 5 } }] }, /limitSchedule\[0\]\.atMs/],
    [
      { limitSchedule: [{ atMs: 0, change: { rps: 5 } }] },
      /limitSchedule\[0\]\.change has an unknown key "rps"/,
    ],
    [{ limitSchedule: [{ atMs: 0, change: { rpm: 0 } }] }, /rpm must be an integer >= 1 or null/],
    [{ limitSchedule: [{ atMs: 0, change: { rpmBurst: 5 } }] }, /rpmBurst applies only with rateLimitShape/],
    [
      {
        limitSchedule: [
          { atMs: 10, change: { rpm: 5 } },
          { atMs: 5, change: { rpm: 6 } },
        ],
      },
      /limitSchedule\[1\]\.atMs comes before/,
    ],
    [{ limitSchedule: 42 }, /limitSchedule must be a list of steps/],
    [{ errorRate500: 1.5 }, /errorRate500/],
    [{ errorRate503: -0.1 }, /errorRate503/],
    [{ stallRate: Number.NaN }, /stallRate/],
    [{ stallRate: 0.6, abruptCloseRate: 0.6 }, /must not exceed 1/],
    [{ stallPhase: 'later' }, /stallPhase/],
    [{ balanceRequests: -1 }, /balanceRequests/],
    [{ moderationPattern: '(' }, /moderationPattern.*regular expression/],
    [{ maxRequestMs: 0 }, /maxRequestMs/],
  ])('%j is rejected with a UserError naming the option', (input, mentions) => {
    const run = () => resolveMockOptions(input as never);
    expect(run).toThrow(UserError);
    expect(run).toThrow(mentions);
  });
});
