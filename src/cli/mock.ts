import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { type Dist, parseDist } from '../mock/dist.js';
import type { StallPhase } from '../mock/faults.js';
import { DEFAULT_MOCK_OPTIONS, type MockOptionsInput, type MockQuirks } from '../mock/options.js';
import { RETRY_AFTER_STYLES, type RetryAfterStyle } from '../mock/rate-limit-headers.js';
import { startMockServer } from '../mock/server.js';
import { STEPFUN_TIER_NAMES, STEPFUN_TIERS, type StepfunTierName } from '../plan/tiers.js';

/** Flags of `stepbench mock`, as yargs hands them over. Unset ones fall back to DEFAULT_MOCK_OPTIONS. */
export interface MockArgs {
  host?: string;
  port: number;
  apiKey?: string;
  model?: string[];
  seed?: number;
  ttftMs?: number;
  interTokenMs?: number;
  ttftDist?: string;
  interTokenDist?: string;
  replyTokens?: number;
  reasoningTokens?: number;
  tokensPerChunk?: number;
  crlf?: boolean;
  space?: boolean;
  keepAlive?: boolean;
  splitWrites?: boolean;
  usage?: MockQuirks['usage'];
  finishReasonStyle?: MockQuirks['finishReasonStyle'];
  finalChunkText?: boolean;
  tier?: StepfunTierName;
  maxConcurrency?: number;
  rpm?: number;
  tpm?: number;
  retryAfter?: RetryAfterStyle;
  errorRate500?: number;
  errorRate503?: number;
  stallRate?: number;
  stallPhase?: StallPhase;
  midStreamErrorRate?: number;
  abruptCloseRate?: number;
  balanceRequests?: number;
  moderationPattern?: string;
  maxRequestMs?: number;
  rateWindowMs?: number;
}

const D = DEFAULT_MOCK_OPTIONS;
const DEFAULT_CLI_PORT = 8787;

function pickDist(flat: number | undefined, spec: string | undefined, flag: string): Dist | undefined {
  if (flat !== undefined && spec !== undefined)
    throw new UserError(`--${flag}-ms and --${flag}-dist both given: use one of them`);
  if (spec !== undefined) return parseDist(spec, `--${flag}-dist`);
  return flat;
}

/** Turns parsed flags into mock options; validation proper happens in resolveMockOptions. */
export function mockOptionsFromArgs(args: MockArgs): MockOptionsInput {
  const quirks: Partial<MockQuirks> = {
    crlf: args.crlf,
    noSpaceAfterData: args.space === undefined ? undefined : !args.space,
    keepAliveComments: args.keepAlive,
    splitWrites: args.splitWrites,
    usage: args.usage,
    finishReasonStyle: args.finishReasonStyle,
    finalChunkCarriesText: args.finalChunkText,
  };
  const input: MockOptionsInput = {
    host: args.host,
    port: args.port,
    apiKey: args.apiKey,
    models: args.model,
    seed: args.seed,
    ttftMs: pickDist(args.ttftMs, args.ttftDist, 'ttft'),
    interTokenMs: pickDist(args.interTokenMs, args.interTokenDist, 'inter-token'),
    replyTokens: args.replyTokens,
    reasoningTokens: args.reasoningTokens,
    tokensPerChunk: args.tokensPerChunk,
    tier: args.tier,
    maxConcurrency: args.maxConcurrency,
    rpm: args.rpm,
    tpm: args.tpm,
    retryAfter: args.retryAfter,
    errorRate500: args.errorRate500,
    errorRate503: args.errorRate503,
    stallRate: args.stallRate,
    stallPhase: args.stallPhase,
    midStreamErrorRate: args.midStreamErrorRate,
    abruptCloseRate: args.abruptCloseRate,
    balanceRequests: args.balanceRequests,
    moderationPattern: args.moderationPattern,
    maxRequestMs: args.maxRequestMs,
    rateWindowMs: args.rateWindowMs,
    quirks: Object.fromEntries(Object.entries(quirks).filter(([, v]) => v !== undefined)),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

export interface RunMockIo {
  /** Aborting it closes the server and lets `runMock` resolve. */
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Starts the mock, prints where it listens, and serves until `signal` aborts. */
export async function runMock(input: MockOptionsInput, io: RunMockIo): Promise<void> {
  const mock = await startMockServer(input);
  io.log(`stepbench mock listening on ${mock.url}`);
  if (!io.signal.aborted) {
    await new Promise<void>((resolve) =>
      io.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
  await mock.close();
}

const tierSummary = STEPFUN_TIER_NAMES.map((name) => {
  const t = STEPFUN_TIERS[name];
  return `${name} ${t.concurrency}/${t.rpm}/${t.tpm / 1_000_000}M`;
}).join(', ');

function limitAndFaultOptions(yargs: Argv): Argv {
  const limits = 'Rate limits (429):';
  const faults = 'Faults (seeded by --seed):';
  return yargs
    .option('tier', {
      choices: STEPFUN_TIER_NAMES,
      group: limits,
      describe: `StepFun tier preset, concurrency/RPM/TPM: ${tierSummary}`,
    })
    .option('max-concurrency', {
      type: 'number',
      group: limits,
      describe: 'Requests answered at once (overrides the tier)',
    })
    .option('rpm', {
      type: 'number',
      group: limits,
      describe: 'Requests per sliding minute (overrides the tier)',
    })
    .option('tpm', {
      type: 'number',
      group: limits,
      describe: 'Prompt + completion tokens per sliding minute (overrides the tier)',
    })
    .option('retry-after', {
      choices: RETRY_AFTER_STYLES,
      group: limits,
      describe:
        'How a 429 says when to retry: none (as StepFun), seconds or http-date (Retry-After), ms (retry-after-ms), openai (x-ratelimit-*)',
    })
    .option('error-rate-500', {
      type: 'number',
      group: faults,
      describe: 'Probability of a 500 server_error',
    })
    .option('error-rate-503', {
      type: 'number',
      group: faults,
      describe: 'Probability of a 503 server_overloaded',
    })
    .option('stall-rate', {
      type: 'number',
      group: faults,
      describe: 'Probability that a request is accepted and then never answered',
    })
    .option('stall-phase', {
      choices: ['before-headers', 'mid-stream'] as const,
      group: faults,
      describe: `Where stalls happen (default ${D.stallPhase})`,
    })
    .option('mid-stream-error-rate', {
      type: 'number',
      group: faults,
      describe: 'Probability of a data: {"error":…} event and [DONE] after a few tokens',
    })
    .option('abrupt-close-rate', {
      type: 'number',
      group: faults,
      describe: 'Probability of the connection dropping after a few tokens, without [DONE]',
    })
    .option('balance-requests', {
      type: 'number',
      group: faults,
      describe: 'After this many replies, every chat request gets 402 quota_exceeded',
    })
    .option('moderation-pattern', {
      type: 'string',
      group: faults,
      describe: 'Regex: a request whose user text matches gets 451 content_filter',
    })
    .option('max-request-ms', {
      type: 'number',
      group: faults,
      describe: `Server time cap per request: 503, or the stream cut (default ${D.maxRequestMs}, StepFun's 10 min)`,
    })
    .option('rate-window-ms', {
      type: 'number',
      group: faults,
      describe: `RPM/TPM window length; shorter keeps the per-minute rate, for fast tests (default ${D.rateWindowMs})`,
    });
}

function builder(yargs: Argv): Argv<MockArgs> {
  const withServerOptions = yargs
    .option('host', { type: 'string', describe: `Interface to listen on (default ${D.host})` })
    .option('port', { type: 'number', default: DEFAULT_CLI_PORT, describe: 'Port; 0 picks a free one' })
    .option('api-key', { type: 'string', describe: 'Require this bearer key (default: any non-empty key)' })
    .option('model', {
      type: 'string',
      array: true,
      describe: `Models to serve (default ${D.models.join(', ')})`,
    })
    .option('seed', { type: 'number', describe: `Seed for replies and delays (default ${D.seed})` })
    .option('ttft-ms', { type: 'number', describe: `Constant time to first token, ms (default ${D.ttftMs})` })
    .option('ttft-dist', {
      type: 'string',
      describe: 'TTFT distribution: uniform:MIN:MAX, normal:MEAN:SD, exp:MEAN',
    })
    .option('inter-token-ms', { type: 'number', describe: `Delay per token, ms (default ${D.interTokenMs})` })
    .option('inter-token-dist', { type: 'string', describe: 'Per-token delay distribution, as --ttft-dist' })
    .option('reply-tokens', {
      type: 'number',
      describe: `Answer tokens per reply (default ${D.replyTokens})`,
    })
    .option('reasoning-tokens', {
      type: 'number',
      describe: `Thinking tokens first (default ${D.reasoningTokens})`,
    })
    .option('tokens-per-chunk', {
      type: 'number',
      describe: `Tokens per SSE chunk (default ${D.tokensPerChunk})`,
    })
    .option('crlf', { type: 'boolean', describe: 'Quirk: end SSE lines with CRLF' })
    .option('space', { type: 'boolean', describe: 'Space after "data:"; --no-space drops it (quirk)' })
    .option('keep-alive', { type: 'boolean', describe: 'Quirk: ": keep-alive" comments between chunks' })
    .option('split-writes', { type: 'boolean', describe: 'Quirk: write events in 1-3 byte pieces' })
    .option('usage', {
      choices: ['cumulative', 'openai'] as const,
      describe: 'cumulative: usage on every chunk (StepFun); openai: only with stream_options.include_usage',
    })
    .option('finish-reason-style', {
      choices: ['absent', 'empty', 'null'] as const,
      describe: 'How non-final chunks spell finish_reason',
    })
    .option('final-chunk-text', { type: 'boolean', describe: 'Quirk: last text in the finish_reason chunk' })
    .example('$0 mock', `Serve on http://127.0.0.1:${DEFAULT_CLI_PORT}/v1 with default timings`)
    .example('$0 mock --port 0 --ttft-dist normal:300:80 --inter-token-ms 20', 'Slower, jittery first token')
    .example(
      '$0 mock --reasoning-tokens 64 --crlf --no-space --split-writes',
      'A thinking model over a rough wire',
    )
    .example('$0 mock --api-key sk-test --usage openai', 'Require a key; OpenAI-style usage chunk')
    .example('$0 mock --tier V0 --retry-after seconds', "StepFun's free tier limits, 429s with Retry-After")
    .example(
      '$0 mock --rpm 600 --error-rate-503 0.02 --abrupt-close-rate 0.01 --seed 7',
      'A flaky, rate-limited server, the same faults every run',
    );
  // Grouped options last, so help lists the everyday ones first.
  return limitAndFaultOptions(withServerOptions) as Argv<MockArgs>;
}

/** `stepbench mock`: a StepFun-compatible server that runs until SIGINT/SIGTERM. */
export const mockCommand: CommandModule<object, MockArgs> = {
  command: 'mock',
  describe: 'Run the built-in StepFun-compatible mock server',
  builder,
  async handler(argv: ArgumentsCamelCase<MockArgs>) {
    const input = mockOptionsFromArgs(argv);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await runMock(input, { signal: controller.signal, log: (line) => console.log(line) });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
