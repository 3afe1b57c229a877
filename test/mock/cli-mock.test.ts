import { describe, expect, test } from 'vitest';
import yargs from 'yargs';
import { type MockArgs, mockCommand, mockOptionsFromArgs, runMock } from '../../src/cli/mock.js';
import { UserError } from '../../src/errors.js';
import { resolveMockOptions } from '../../src/mock/options.js';

/** Parses a command line the way `stepbench mock …` would, without running the server. */
async function parseFlags(argv: string[]): Promise<MockArgs> {
  let captured: MockArgs | undefined;
  await yargs(['mock', ...argv])
    .command({
      ...mockCommand,
      handler: (args) => {
        captured = args;
      },
    })
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .parseAsync();
  if (!captured) throw new Error('handler did not run');
  return captured;
}

describe('stepbench mock flags', () => {
  test('defaults: port 8787, everything else from DEFAULT_MOCK_OPTIONS', async () => {
    const input = mockOptionsFromArgs(await parseFlags([]));
    expect(input).toEqual({ port: 8787, quirks: {} });
    expect(resolveMockOptions(input).ttftMs).toBe(20);
  });

  test('every flag maps onto an option', async () => {
    const args = await parseFlags([
      '--host=0.0.0.0',
      '--port=0',
      '--api-key=sk-x',
      '--model=a',
      '--model=b',
      '--seed=5',
      '--ttft-dist=normal:300:80',
      '--inter-token-ms=12',
      '--reply-tokens=7',
      '--reasoning-tokens=3',
      '--tokens-per-chunk=2',
      '--crlf',
      '--no-space',
      '--keep-alive',
      '--split-writes',
      '--usage=openai',
      '--finish-reason-style=null',
      '--final-chunk-text',
      '--tier=V2',
      '--max-concurrency=3',
      '--rpm=60',
      '--tpm=9000',
      '--limit-shape=token-bucket',
      '--rpm-burst=5',
      '--tpm-burst=500',
      '--limit-schedule=0s:60,30s:tpm=off',
      '--retry-after=openai',
      '--error-rate-500=0.1',
      '--error-rate-503=0.2',
      '--stall-rate=0.05',
      '--stall-phase=mid-stream',
      '--mid-stream-error-rate=0.01',
      '--abrupt-close-rate=0.02',
      '--balance-requests=100',
      '--moderation-pattern=炸弹|bomb',
      '--max-request-ms=5000',
      '--rate-window-ms=2000',
    ]);
    expect(resolveMockOptions(mockOptionsFromArgs(args))).toEqual({
      host: '0.0.0.0',
      port: 0,
      apiKey: 'sk-x',
      models: ['a', 'b'],
      seed: 5,
      ttftMs: { kind: 'normal', mean: 300, sd: 80 },
      interTokenMs: 12,
      replyTokens: 7,
      reasoningTokens: 3,
      tokensPerChunk: 2,
      maxRecords: 100_000,
      tier: 'V2',
      maxConcurrency: 3,
      rpm: 60,
      tpm: 9000,
      rateLimitShape: 'token-bucket',
      rpmBurst: 5,
      tpmBurst: 500,
      limitSchedule: [
        { atMs: 0, change: { rpm: 60 } },
        { atMs: 30_000, change: { tpm: null } },
      ],
      retryAfter: 'openai',
      errorRate500: 0.1,
      errorRate503: 0.2,
      stallRate: 0.05,
      stallPhase: 'mid-stream',
      midStreamErrorRate: 0.01,
      abruptCloseRate: 0.02,
      balanceRequests: 100,
      moderationPattern: '炸弹|bomb',
      maxRequestMs: 5000,
      answers: [],
      rateWindowMs: 2000,
      quirks: {
        crlf: true,
        noSpaceAfterData: true,
        keepAliveComments: true,
        splitWrites: true,
        usage: 'openai',
        finishReasonStyle: 'null',
        finalChunkCarriesText: true,
      },
    });
  });

  test('a flat delay and a distribution for the same delay conflict', async () => {
    const args = await parseFlags(['--ttft-ms=5', '--ttft-dist=exp:5']);
    expect(() => mockOptionsFromArgs(args)).toThrow(UserError);
    expect(() => mockOptionsFromArgs(args)).toThrow(/--ttft-ms/);
  });

  test('a bad distribution names its flag', async () => {
    const args = await parseFlags(['--inter-token-dist=gauss:1']);
    expect(() => mockOptionsFromArgs(args)).toThrow(/--inter-token-dist/);
  });

  test('help lists the examples', async () => {
    const help = await new Promise<string>((resolve) => {
      yargs(['mock', '--help'])
        .command(mockCommand)
        .exitProcess(false)
        .parse(['mock', '--help'], {}, (_error, _argv, output) => resolve(output));
    });
    expect(help).toContain('--split-writes');
    expect(help).toContain('Examples:');
    expect(help).toContain('normal:300:80');
    expect(help).toContain('--no-space');
    for (const flag of [
      '--tier',
      '--max-concurrency',
      '--rpm',
      '--tpm',
      '--retry-after',
      '--error-rate-500',
      '--error-rate-503',
      '--stall-rate',
      '--stall-phase',
      '--mid-stream-error-rate',
      '--abrupt-close-rate',
      '--balance-requests',
      '--moderation-pattern',
      '--max-request-ms',
      '--rate-window-ms',
      '--limit-shape',
      '--rpm-burst',
      '--tpm-burst',
      '--limit-schedule',
    ])
      expect(help).toContain(flag);
    expect(help).toContain("StepFun's free tier limits");
    expect(help).toContain('V0 5/10/5M');
    expect(help).toContain('Rate limits (429):');
  });

  test('an unknown tier or retry-after style is refused by the parser', async () => {
    await expect(parseFlags(['--tier=V9'])).rejects.toThrow(/tier/);
    await expect(parseFlags(['--retry-after=minutes'])).rejects.toThrow(/retry-after/);
    await expect(parseFlags(['--limit-shape=leaky'])).rejects.toThrow(/limit-shape/);
  });

  test('bad limit flags get errors naming the flag or option', async () => {
    const resolve = async (argv: string[]) => resolveMockOptions(mockOptionsFromArgs(await parseFlags(argv)));
    await expect(resolve(['--rpm-burst=abc'])).rejects.toThrow(/--rpm-burst must be a number/);
    await expect(resolve(['--rpm=600', '--rpm-burst=0', '--limit-shape=token-bucket'])).rejects.toThrow(
      /rpmBurst must be an integer >= 1/,
    );
    await expect(resolve(['--rpm=600', '--tpm-burst=10'])).rejects.toThrow(
      /tpmBurst applies only with rateLimitShape 'token-bucket'/,
    );
    await expect(resolve(['--limit-schedule=0s:600,30x:300'])).rejects.toThrow(
      /--limit-schedule: the 2nd entry "30x:300" has a bad time/,
    );
    await expect(resolve(['--limit-schedule=0s:600,30s:rps=3'])).rejects.toThrow(UserError);
  });

  test('fault rates that add up past 1 are refused with a UserError', async () => {
    const args = await parseFlags(['--error-rate-500=0.7', '--stall-rate=0.5']);
    expect(() => resolveMockOptions(mockOptionsFromArgs(args))).toThrow(UserError);
  });
});

describe('runMock', () => {
  test('prints the listening line, serves, and closes when the signal aborts', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const running = runMock(
      { port: 0, ttftMs: 0, interTokenMs: 0 },
      {
        signal: controller.signal,
        log: (line) => {
          lines.push(line);
          listening();
        },
      },
    );
    await ready;
    expect(lines).toHaveLength(1);
    const url = /^stepbench mock listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(lines[0]!)?.[1];
    expect(url).toBeDefined();
    const models = await fetch(`${url}/models`, { headers: { authorization: 'Bearer k' } });
    expect(models.status).toBe(200);
    controller.abort();
    await running;
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });
});
