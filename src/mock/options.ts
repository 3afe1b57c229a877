import { type CannedAnswer, checkCannedAnswers } from './canned-answers.js';
import { checkDist, type Dist } from './dist.js';
import type { StallPhase } from './faults.js';
import {
  checkLimitOptions,
  DEFAULT_LIMIT_OPTIONS,
  type MockLimitOptions,
  resolveLimitSchedule,
} from './limit-options.js';
import type { LimitStep } from './limit-schedule.js';
import { fail, isInt } from './option-checks.js';

/** Wire quirks seen on StepFun and its cousins, each off by default (DESIGN §4, wire facts §4/§8). */
export interface MockQuirks {
  /** End SSE lines with CRLF instead of LF. */
  crlf: boolean;
  /** `data:{…}` instead of `data: {…}`. */
  noSpaceAfterData: boolean;
  /** `: keep-alive` comment events before the first chunk and between chunks (DeepSeek style). */
  keepAliveComments: boolean;
  /** Write each event in pieces of 1–3 bytes, so multi-byte UTF-8 straddles reads. */
  splitWrites: boolean;
  /**
   * `cumulative`: StepFun — running usage on every chunk.
   * `openai`: `"usage":null` on chunks, plus one `choices:[]` usage chunk before `[DONE]` only when the
   * request asks with `stream_options.include_usage`.
   */
  usage: 'cumulative' | 'openai';
  /** How non-final chunks spell "not finished": key absent, `""` or `null`. */
  finishReasonStyle: 'absent' | 'empty' | 'null';
  /** The last text arrives in the same chunk as `finish_reason` instead of a separate empty chunk. */
  finalChunkCarriesText: boolean;
}

/** Every option of the mock; the rate-limit ones (tier, limits, shape, schedule, Retry-After) are in limit-options.ts. */
export interface MockOptions extends MockLimitOptions {
  host: string;
  /** 0 picks a free ephemeral port. */
  port: number;
  /** When a string, the bearer token must equal it; when null, any non-empty bearer is accepted. */
  apiKey: string | null;
  models: string[];
  /** Replies are a deterministic function of (seed, model, messages); delays of (seed, request #). */
  seed: number;
  /** Time from receiving the request to the first text chunk. */
  ttftMs: Dist;
  /** Delay per token between text chunks (a chunk of k tokens waits k draws). */
  interTokenMs: Dist;
  /** Answer tokens per reply, capped by the request's `max_tokens`. */
  replyTokens: number;
  /** Thinking tokens streamed before the answer; they count in completion_tokens and in max_tokens. */
  reasoningTokens: number;
  tokensPerChunk: number;
  quirks: MockQuirks;
  /** How many per-request records the stats keep (the oldest are dropped first). */
  maxRecords: number;

  // Faults, drawn per request from the seed (probabilities 0..1, summing to at most 1).
  errorRate500: number;
  errorRate503: number;
  /** Requests that are accepted and then never answered (held open until the client leaves). */
  stallRate: number;
  stallPhase: StallPhase;
  /** Streams that send an `{"error":…}` event and `[DONE]` after a few tokens. */
  midStreamErrorRate: number;
  /** Streams whose socket is destroyed after a few tokens, without finish_reason or `[DONE]`. */
  abruptCloseRate: number;
  /** After this many replies the balance is gone and every chat request gets 402; null = never. */
  balanceRequests: number | null;
  /** Regex source: a request whose user text matches gets 451; null = no moderation. */
  moderationPattern: string | null;
  /** Server-side cap per request (StepFun's is 10 minutes): 503 before headers, else the stream is cut. */
  maxRequestMs: number;
  /** Fixed replies for requests that match (canned-answers.ts); empty: every reply is seeded words. */
  answers: CannedAnswer[];
}

/** Every default of the mock, in one place. */
export const DEFAULT_MOCK_OPTIONS: Readonly<MockOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  apiKey: null,
  models: ['step-3.7-flash', 'step-3.5-flash', 'step-3.5-flash-2603', 'step-1o-turbo-vision'],
  seed: 0,
  ttftMs: 20,
  interTokenMs: 5,
  replyTokens: 32,
  reasoningTokens: 0,
  tokensPerChunk: 1,
  quirks: Object.freeze({
    crlf: false,
    noSpaceAfterData: false,
    keepAliveComments: false,
    splitWrites: false,
    usage: 'cumulative',
    finishReasonStyle: 'absent',
    finalChunkCarriesText: false,
  }),
  maxRecords: 100_000,
  ...DEFAULT_LIMIT_OPTIONS,
  errorRate500: 0,
  errorRate503: 0,
  stallRate: 0,
  stallPhase: 'before-headers',
  midStreamErrorRate: 0,
  abruptCloseRate: 0,
  balanceRequests: null,
  moderationPattern: null,
  maxRequestMs: 600_000,
  answers: [],
} satisfies MockOptions);

/** Options as a caller may pass them: any subset, quirks included. */
export type MockOptionsInput = Partial<Omit<MockOptions, 'quirks' | 'limitSchedule'>> & {
  quirks?: Partial<MockQuirks>;
  /** The steps, or the `--limit-schedule` spelling of them (`0s:600,30s:300`). */
  limitSchedule?: LimitStep[] | string;
};

function resolveQuirks(input: Partial<MockQuirks> | undefined): MockQuirks {
  const quirks: MockQuirks = { ...DEFAULT_MOCK_OPTIONS.quirks, ...input };
  for (const key of Object.keys(quirks) as (keyof MockQuirks)[]) {
    if (!(key in DEFAULT_MOCK_OPTIONS.quirks)) fail(`quirks.${key}`, 'is unknown', quirks[key]);
  }
  for (const key of [
    'crlf',
    'noSpaceAfterData',
    'keepAliveComments',
    'splitWrites',
    'finalChunkCarriesText',
  ] as const) {
    if (typeof quirks[key] !== 'boolean') fail(`quirks.${key}`, 'must be true or false', quirks[key]);
  }
  if (quirks.usage !== 'cumulative' && quirks.usage !== 'openai')
    fail('quirks.usage', "must be 'cumulative' or 'openai'", quirks.usage);
  if (!['absent', 'empty', 'null'].includes(quirks.finishReasonStyle))
    fail('quirks.finishReasonStyle', "must be 'absent', 'empty' or 'null'", quirks.finishReasonStyle);
  return quirks;
}

/**
 * Merges `input` over the defaults and validates every field. Throws a UserError naming the first
 * bad option, so a typo on the command line or in a config file gets a message instead of a
 * misbehaving server.
 */
export function resolveMockOptions(input: MockOptionsInput = {}): MockOptions {
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_MOCK_OPTIONS)) fail(key, 'is unknown', (input as Record<string, unknown>)[key]);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const o: MockOptions = {
    ...DEFAULT_MOCK_OPTIONS,
    models: [...DEFAULT_MOCK_OPTIONS.models],
    ...defined,
    quirks: resolveQuirks(input.quirks),
    limitSchedule: resolveLimitSchedule(input.limitSchedule),
  };
  if (typeof o.host !== 'string' || o.host.trim() === '') fail('host', 'must be a non-empty string', o.host);
  if (!isInt(o.port, 0, 65535)) fail('port', 'must be an integer from 0 to 65535', o.port);
  if (o.apiKey !== null && (typeof o.apiKey !== 'string' || o.apiKey === ''))
    fail('apiKey', 'must be a non-empty string or null', o.apiKey);
  if (
    !Array.isArray(o.models) ||
    o.models.length === 0 ||
    o.models.some((m) => typeof m !== 'string' || m === '')
  )
    fail('models', 'must be a non-empty list of model names', o.models);
  if (typeof o.seed !== 'number' || !Number.isFinite(o.seed)) fail('seed', 'must be a finite number', o.seed);
  for (const key of ['ttftMs', 'interTokenMs'] as const) {
    const problem = checkDist(o[key]);
    if (problem) fail(key, problem, o[key]);
  }
  if (!isInt(o.replyTokens, 0)) fail('replyTokens', 'must be an integer >= 0', o.replyTokens);
  if (!isInt(o.reasoningTokens, 0)) fail('reasoningTokens', 'must be an integer >= 0', o.reasoningTokens);
  if (!isInt(o.tokensPerChunk, 1)) fail('tokensPerChunk', 'must be an integer >= 1', o.tokensPerChunk);
  if (!isInt(o.maxRecords, 0)) fail('maxRecords', 'must be an integer >= 0', o.maxRecords);
  o.answers = checkCannedAnswers(o.answers);
  checkLimitOptions(o);
  checkFaults(o);
  return o;
}

const FAULT_RATES = [
  'errorRate500',
  'errorRate503',
  'stallRate',
  'midStreamErrorRate',
  'abruptCloseRate',
] as const;

function checkFaults(o: MockOptions): void {
  if (o.balanceRequests !== null && !isInt(o.balanceRequests, 0))
    fail('balanceRequests', 'must be an integer >= 0 or null', o.balanceRequests);
  let rateSum = 0;
  for (const key of FAULT_RATES) {
    const rate = o[key];
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      fail(key, 'must be a probability from 0 to 1', rate);
    rateSum += rate;
  }
  // Faults are exclusive per request, so together they can't exceed certainty (a little float slack).
  if (rateSum > 1 + 1e-9)
    fail(
      'errorRate500 + errorRate503 + stallRate + midStreamErrorRate + abruptCloseRate',
      'must not exceed 1',
      rateSum,
    );
  if (o.stallPhase !== 'before-headers' && o.stallPhase !== 'mid-stream')
    fail('stallPhase', "must be 'before-headers' or 'mid-stream'", o.stallPhase);
  if (o.moderationPattern !== null) {
    if (typeof o.moderationPattern !== 'string' || o.moderationPattern === '')
      fail('moderationPattern', 'must be a non-empty regular expression or null', o.moderationPattern);
    try {
      new RegExp(o.moderationPattern, 'u');
    } catch (error) {
      fail(
        'moderationPattern',
        `is not a valid regular expression: ${(error as Error).message}`,
        o.moderationPattern,
      );
    }
  }
  if (!isInt(o.maxRequestMs, 1))
    fail('maxRequestMs', 'must be an integer >= 1 (milliseconds)', o.maxRequestMs);
}
