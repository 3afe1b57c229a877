import type { ArgumentsCamelCase, Argv, CommandModule, Options } from 'yargs';
import { UserError } from '../errors.js';
import { readCannedAnswers } from '../mock/canned-answers.js';
import { type Dist, parseDist } from '../mock/dist.js';
import { parseLimitSchedule } from '../mock/limit-schedule.js';
import { LIMIT_SHAPE_NAMES } from '../mock/limit-shapes/index.js';
import { DEFAULT_MOCK_OPTIONS, type MockOptionsInput, type MockQuirks } from '../mock/options.js';
import { RETRY_AFTER_STYLES } from '../mock/rate-limit-headers.js';
import { startMockServer } from '../mock/server.js';
import { STEPFUN_TIER_NAMES, STEPFUN_TIERS } from '../plan/tiers.js';

/** Flags of `stepbench mock`, as yargs hands them over (camel-cased). */
export type MockArgs = Record<string, unknown> & { port: number };

const D = DEFAULT_MOCK_OPTIONS;
const DEFAULT_CLI_PORT = 8787;

const tierSummary = STEPFUN_TIER_NAMES.map((name) => {
  const t = STEPFUN_TIERS[name];
  return `${name} ${t.concurrency}/${t.rpm}/${t.tpm / 1_000_000}M`;
}).join(', ');

const LIMITS = 'Rate limits (429):';
const FAULTS = 'Faults (seeded by --seed):';

/**
 * Every flag of `stepbench mock`, once: its yargs definition and the mock option it sets (a key
 * of MockOptions, or `quirks.<key>`). Help, parsing and the mapping to options all come from
 * this table; the mock's own `resolveMockOptions` checks the values.
 */
interface MockFlag {
  flag: string;
  option?: keyof MockOptionsInput | `quirks.${keyof MockQuirks}`;
  yargs: Options;
  /** Turns the parsed flag into the option's value (default: as parsed). */
  convert?: (value: never) => unknown;
}

const MOCK_FLAGS: readonly MockFlag[] = [
  {
    flag: 'host',
    option: 'host',
    yargs: { type: 'string', describe: `Interface to listen on (default ${D.host})` },
  },
  {
    flag: 'port',
    option: 'port',
    yargs: { type: 'number', default: DEFAULT_CLI_PORT, describe: 'Port; 0 picks a free one' },
  },
  {
    flag: 'api-key',
    option: 'apiKey',
    yargs: { type: 'string', describe: 'Require this bearer key (default: any non-empty key)' },
  },
  {
    flag: 'model',
    option: 'models',
    yargs: { type: 'string', array: true, describe: `Models to serve (default ${D.models.join(', ')})` },
  },
  {
    flag: 'seed',
    option: 'seed',
    yargs: { type: 'number', describe: `Seed for replies and delays (default ${D.seed})` },
  },
  {
    flag: 'ttft-ms',
    yargs: { type: 'number', describe: `Constant time to first token, ms (default ${D.ttftMs})` },
  },
  {
    flag: 'ttft-dist',
    yargs: { type: 'string', describe: 'TTFT distribution: uniform:MIN:MAX, normal:MEAN:SD, exp:MEAN' },
  },
  {
    flag: 'inter-token-ms',
    yargs: { type: 'number', describe: `Delay per token, ms (default ${D.interTokenMs})` },
  },
  {
    flag: 'inter-token-dist',
    yargs: { type: 'string', describe: 'Per-token delay distribution, as --ttft-dist' },
  },
  {
    flag: 'answers',
    option: 'answers',
    yargs: {
      type: 'string',
      describe:
        'JSONL file of canned replies {"match": "text in the last user message", "answer": "…", "model"?: "…"}; the first match wins, others get seeded words',
    },
    convert: (path: string) => readCannedAnswers(path),
  },
  {
    flag: 'reply-tokens',
    option: 'replyTokens',
    yargs: { type: 'number', describe: `Answer tokens per reply (default ${D.replyTokens})` },
  },
  {
    flag: 'reasoning-tokens',
    option: 'reasoningTokens',
    yargs: { type: 'number', describe: `Thinking tokens first (default ${D.reasoningTokens})` },
  },
  {
    flag: 'tokens-per-chunk',
    option: 'tokensPerChunk',
    yargs: { type: 'number', describe: `Tokens per SSE chunk (default ${D.tokensPerChunk})` },
  },
  {
    flag: 'crlf',
    option: 'quirks.crlf',
    yargs: { type: 'boolean', describe: 'Quirk: end SSE lines with CRLF' },
  },
  {
    flag: 'space',
    option: 'quirks.noSpaceAfterData',
    yargs: { type: 'boolean', describe: 'Space after "data:"; --no-space drops it (quirk)' },
    convert: (space: boolean) => !space,
  },
  {
    flag: 'keep-alive',
    option: 'quirks.keepAliveComments',
    yargs: { type: 'boolean', describe: 'Quirk: ": keep-alive" comments between chunks' },
  },
  {
    flag: 'split-writes',
    option: 'quirks.splitWrites',
    yargs: { type: 'boolean', describe: 'Quirk: write events in 1-3 byte pieces' },
  },
  {
    flag: 'usage',
    option: 'quirks.usage',
    yargs: {
      choices: ['cumulative', 'openai'],
      describe: 'cumulative: usage on every chunk (StepFun); openai: only with stream_options.include_usage',
    },
  },
  {
    flag: 'finish-reason-style',
    option: 'quirks.finishReasonStyle',
    yargs: { choices: ['absent', 'empty', 'null'], describe: 'How non-final chunks spell finish_reason' },
  },
  {
    flag: 'final-chunk-text',
    option: 'quirks.finalChunkCarriesText',
    yargs: { type: 'boolean', describe: 'Quirk: last text in the finish_reason chunk' },
  },
  // Grouped flags last, so help lists the everyday ones first.
  {
    flag: 'tier',
    option: 'tier',
    yargs: {
      choices: STEPFUN_TIER_NAMES,
      group: LIMITS,
      describe: `StepFun tier preset, concurrency/RPM/TPM: ${tierSummary}`,
    },
  },
  {
    flag: 'max-concurrency',
    option: 'maxConcurrency',
    yargs: { type: 'number', group: LIMITS, describe: 'Requests answered at once (overrides the tier)' },
  },
  {
    flag: 'rpm',
    option: 'rpm',
    yargs: {
      type: 'number',
      group: LIMITS,
      describe: 'Requests per minute, counted as --limit-shape says (overrides the tier)',
    },
  },
  {
    flag: 'tpm',
    option: 'tpm',
    yargs: {
      type: 'number',
      group: LIMITS,
      describe: 'Prompt + completion tokens per minute, counted as --limit-shape says (overrides the tier)',
    },
  },
  {
    flag: 'limit-shape',
    option: 'rateLimitShape',
    yargs: {
      choices: LIMIT_SHAPE_NAMES,
      group: LIMITS,
      describe: `How RPM/TPM are counted: sliding (the last minute), token-bucket (a burst, then a steady refill), fixed-window (reset on the minute) (default ${D.rateLimitShape})`,
    },
  },
  {
    flag: 'rpm-burst',
    option: 'rpmBurst',
    yargs: {
      type: 'number',
      group: LIMITS,
      describe: 'Token bucket: requests let through at once (default: one second of --rpm, at least 1)',
    },
  },
  {
    flag: 'tpm-burst',
    option: 'tpmBurst',
    yargs: {
      type: 'number',
      group: LIMITS,
      describe: 'Token bucket: tokens let through at once (default: one second of --tpm, at least 1)',
    },
  },
  {
    flag: 'limit-schedule',
    option: 'limitSchedule',
    yargs: {
      type: 'string',
      group: LIMITS,
      describe:
        'Limits that change during the run, timed from the mock start: 0s:600,30s:300,60s:600 (RPM), or NAME=VALUE entries, e.g. 30s:tpm=90000,45s:concurrency=off',
    },
    convert: (text: string) => parseLimitSchedule(text, '--limit-schedule'),
  },
  {
    flag: 'retry-after',
    option: 'retryAfter',
    yargs: {
      choices: RETRY_AFTER_STYLES,
      group: LIMITS,
      describe:
        'How a 429 says when to retry: none (as StepFun), seconds or http-date (Retry-After), ms (retry-after-ms), openai (x-ratelimit-*)',
    },
  },
  {
    flag: 'error-rate-500',
    option: 'errorRate500',
    yargs: { type: 'number', group: FAULTS, describe: 'Probability of a 500 server_error' },
  },
  {
    flag: 'error-rate-503',
    option: 'errorRate503',
    yargs: { type: 'number', group: FAULTS, describe: 'Probability of a 503 server_overloaded' },
  },
  {
    flag: 'stall-rate',
    option: 'stallRate',
    yargs: {
      type: 'number',
      group: FAULTS,
      describe: 'Probability that a request is accepted and then never answered',
    },
  },
  {
    flag: 'stall-phase',
    option: 'stallPhase',
    yargs: {
      choices: ['before-headers', 'mid-stream'],
      group: FAULTS,
      describe: `Where stalls happen (default ${D.stallPhase})`,
    },
  },
  {
    flag: 'mid-stream-error-rate',
    option: 'midStreamErrorRate',
    yargs: {
      type: 'number',
      group: FAULTS,
      describe: 'Probability of a data: {"error":…} event and [DONE] after a few tokens',
    },
  },
  {
    flag: 'abrupt-close-rate',
    option: 'abruptCloseRate',
    yargs: {
      type: 'number',
      group: FAULTS,
      describe: 'Probability of the connection dropping after a few tokens, without [DONE]',
    },
  },
  {
    flag: 'balance-requests',
    option: 'balanceRequests',
    yargs: {
      type: 'number',
      group: FAULTS,
      describe: 'After this many replies, every chat request gets 402 quota_exceeded',
    },
  },
  {
    flag: 'moderation-pattern',
    option: 'moderationPattern',
    yargs: {
      type: 'string',
      group: FAULTS,
      describe: 'Regex: a request whose user text matches gets 451 content_filter',
    },
  },
  {
    flag: 'max-request-ms',
    option: 'maxRequestMs',
    yargs: {
      type: 'number',
      group: FAULTS,
      describe: `Server time cap per request: 503, or the stream cut (default ${D.maxRequestMs}, StepFun's 10 min)`,
    },
  },
  {
    flag: 'rate-window-ms',
    option: 'rateWindowMs',
    yargs: {
      type: 'number',
      group: LIMITS,
      describe: `RPM/TPM window length; shorter keeps the per-minute rate, for fast tests (default ${D.rateWindowMs})`,
    },
  },
];

const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function pickDist(args: MockArgs, name: 'ttft' | 'inter-token'): Dist | undefined {
  const flat = args[camel(`${name}-ms`)] as number | undefined;
  const spec = args[camel(`${name}-dist`)] as string | undefined;
  if (flat !== undefined && spec !== undefined)
    throw new UserError(`--${name}-ms and --${name}-dist both given: use one of them`);
  if (spec !== undefined) return parseDist(spec, `--${name}-dist`);
  return flat;
}

/** Turns parsed flags into mock options (only those set); validation proper happens in resolveMockOptions. */
export function mockOptionsFromArgs(args: MockArgs): MockOptionsInput {
  const input: Record<string, unknown> = {};
  const quirks: Record<string, unknown> = {};
  for (const { flag, option, convert, yargs } of MOCK_FLAGS) {
    const value = args[camel(flag)];
    if (option === undefined || value === undefined) continue;
    // yargs turns a non-number into NaN and forgets what was typed: say which flag it was.
    if (yargs.type === 'number' && Number.isNaN(value)) throw new UserError(`--${flag} must be a number`);
    const converted = convert ? convert(value as never) : value;
    if (option.startsWith('quirks.')) quirks[option.slice('quirks.'.length)] = converted;
    else input[option] = converted;
  }
  const ttftMs = pickDist(args, 'ttft');
  const interTokenMs = pickDist(args, 'inter-token');
  if (ttftMs !== undefined) input.ttftMs = ttftMs;
  if (interTokenMs !== undefined) input.interTokenMs = interTokenMs;
  return { ...input, quirks } as MockOptionsInput;
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

function builder(yargs: Argv): Argv<MockArgs> {
  const withFlags = MOCK_FLAGS.reduce((y, { flag, yargs: options }) => y.option(flag, options), yargs);
  return withFlags
    .example('$0 mock', `Serve on http://127.0.0.1:${DEFAULT_CLI_PORT}/v1 with default timings`)
    .example('$0 mock --port 0 --ttft-dist normal:300:80 --inter-token-ms 20', 'Slower, jittery first token')
    .example(
      '$0 mock --reasoning-tokens 64 --crlf --no-space --split-writes',
      'A thinking model over a rough wire',
    )
    .example('$0 mock --api-key sk-test --usage openai', 'Require a key; OpenAI-style usage chunk')
    .example('$0 mock --tier V0 --retry-after seconds', "StepFun's free tier limits, 429s with Retry-After")
    .example(
      '$0 mock --rpm 600 --limit-shape token-bucket --rpm-burst 10 --retry-after seconds',
      'A gateway token bucket: 10 at once, then 10 per second',
    )
    .example(
      '$0 mock --limit-schedule 0s:600,30s:300,60s:600',
      'An RPM limit that halves for 30 s and comes back (POST /_mock/limits changes it by hand)',
    )
    .example(
      '$0 mock --rpm 600 --error-rate-503 0.02 --abrupt-close-rate 0.01 --seed 7',
      'A flaky, rate-limited server, the same faults every run',
    )
    .epilog(
      'Grading prompts: a chat request whose system message contains "stepbench-grader/1" (what ' +
        '`stepbench run --grader MODEL` sends for judge assertions) is answered with a JSON verdict ' +
        '{"pass","score","reason"}: pass when every "double-quoted" phrase of the rubric appears in the ' +
        'output under test (ignoring case), so judge runs work offline and are reproducible.',
    ) as unknown as Argv<MockArgs>;
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
