import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from '../client/loopback-server.js';
import { type CliResult, cliBuilt, runCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

// Distinct values that match none of the generic patterns (no `Bearer`, no `sk-`), so each one is
// hidden only if the redactor was told about it: that is what this test checks end to end.
const SECRETS = {
  envKey: 'envkey-5d1c9a7e0f',
  bearer: 'bearertok-8f2b61c3',
  xApiKey: 'xapikey-3c77e0aa',
  urlUser: 'urluser-7e21bb',
  urlPassword: 'urlpass-91ab4fcd',
  configSubscription: 'ocpsub-0d4e88f1',
} as const;

const ENV = { STEP_API_KEY: SECRETS.envKey };

/**
 * The flags every run here shares: both secret headers on the command line, and the config file.
 * `pasteKey` also pastes the target's API key where no header name gives it away, so only its
 * known value can hide it (with --mock the target's key is the mock's, so it is not pasted there).
 */
function secretFlags(config: string, pasteKey = true): string[] {
  return [
    '--header',
    `Authorization: Bearer ${SECRETS.bearer}`,
    `--header=X-Api-Key: ${SECRETS.xApiKey}`,
    ...(pasteKey ? ['--header', `X-Note: pasted ${SECRETS.envKey}`] : []),
    '--config',
    config,
  ];
}

function withUserinfo(origin: string): string {
  return origin.replace('http://', `http://${SECRETS.urlUser}:${SECRETS.urlPassword}@`);
}

/** Every file the run wrote, and everything it printed, must be free of every planted secret. */
async function expectNoSecrets(r: CliResult, outDir: string | undefined): Promise<string[]> {
  const texts: [string, string][] = [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ];
  const files = outDir ? await readdir(outDir, { recursive: true, withFileTypes: true }) : [];
  for (const f of files) {
    if (f.isFile()) texts.push([f.name, await readFile(join(f.parentPath, f.name), 'utf8')]);
  }
  for (const [where, text] of texts) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `${name} appears in ${where}`).toBe(false);
    }
  }
  return files.filter((f) => f.isFile()).map((f) => f.name);
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('no secret reaches any output of the CLI', () => {
  let dir: string;
  let config: string;
  // Answers 401 with everything it received in the error message, as a careless proxy might.
  let echo: LoopbackServer;

  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-secrets-'));
    config = join(dir, 'stepbench.yaml');
    await writeFile(
      config,
      `defaults:\n  headers:\n    Ocp-Apim-Subscription-Key: ${SECRETS.configSubscription}\n`,
    );
    echo = await startLoopbackServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      const said = `rejected ${req.method} ${req.url} with headers ${JSON.stringify(req.headers)}`;
      res.end(JSON.stringify({ error: { message: said, type: 'invalid_api_key' } }));
    });
  });
  afterAll(() => echo.close());

  it('a successful run against a mock at a URL with credentials', async () => {
    await withMock({ ttftMs: 1, replyTokens: 3 }, async (mock) => {
      const out = join(dir, 'ok');
      const r = await runCli(
        [
          'run',
          'datasets/smoke.csv',
          '--no-progress',
          '--base-url',
          withUserinfo(mock.url),
          '-c',
          '2',
          '-o',
          out,
          ...secretFlags(config),
        ],
        ENV,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(await expectNoSecrets(r, out)).toEqual(
        expect.arrayContaining(['results.jsonl', 'report.json', 'run.json']),
      );
      // run.json keeps the configuration for `stepbench report`, redacted as the report is.
      const saved = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
      expect(Object.keys(saved.targets[0].headers)).toEqual(
        expect.arrayContaining(['Authorization', 'X-Api-Key', 'Ocp-Apim-Subscription-Key']),
      );
      const rebuilt = await runCli(['report', out], ENV);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      await expectNoSecrets(rebuilt, out);
      // The report still says which headers were sent and where, only without the values.
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
      expect(Object.keys(report.targets[0].headers)).toEqual(
        expect.arrayContaining(['Authorization', 'X-Api-Key', 'Ocp-Apim-Subscription-Key']),
      );
      expect(report.targets[0].baseUrl).toMatch(/^http:\/\/[^@]*@127\.0\.0\.1:\d+\/v1$/);
    });
  });

  it('the built-in mock (--mock)', async () => {
    const out = join(dir, 'mock');
    const r = await runCli(
      [
        'run',
        'datasets/smoke.csv',
        '--no-progress',
        '--mock',
        '-c',
        '2',
        '-o',
        out,
        ...secretFlags(config, false),
      ],
      ENV,
    );
    expect(r.code, r.stderr).toBe(0);
    await expectNoSecrets(r, out);
  });

  it('a server that echoes the request into its 401 error message', async () => {
    const out = join(dir, 'echo');
    const r = await runCli(
      [
        'run',
        'datasets/smoke.csv',
        '--no-progress',
        '--base-url',
        `${withUserinfo(echo.origin)}/v1`,
        '-c',
        '1',
        '-o',
        out,
        ...secretFlags(config),
      ],
      ENV,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/API key was rejected/);
    // The echo really carried the secrets, so the redactor had something to hide.
    expect(JSON.stringify(echo.requests[0]?.headers)).toContain(SECRETS.xApiKey);
    await expectNoSecrets(r, out);
    // Rebuilt from the results, the error messages stay redacted too.
    const rebuilt = await runCli(['report', out], ENV);
    expect(rebuilt.code).toBe(3);
    await expectNoSecrets(rebuilt, out);
  });

  it('a closed port (network errors)', async () => {
    const out = join(dir, 'closed');
    const port = await closedPort();
    const r = await runCli(
      [
        'run',
        'datasets/smoke.csv',
        '--no-progress',
        '--base-url',
        withUserinfo(`http://127.0.0.1:${port}/v1`),
        '--retries',
        '0',
        '-o',
        out,
        ...secretFlags(config),
      ],
      ENV,
    );
    // Only the error messages matter here, not the exit code.
    expect(await readFile(join(out, 'results.jsonl'), 'utf8')).toMatch(/ECONNREFUSED/);
    await expectNoSecrets(r, out);
  });

  it('a usage error that names the base URL', async () => {
    const r = await runCli(
      [
        'run',
        'datasets/smoke.csv',
        '--no-progress',
        '--base-url',
        withUserinfo('http://127.0.0.1:9/v1'),
        '--api-key-env',
        'NO_SUCH_KEY',
        ...secretFlags(config),
      ],
      ENV,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NO_SUCH_KEY is not set/);
    await expectNoSecrets(r, undefined);
  });

  it('a malformed --header', async () => {
    const r = await runCli(
      ['run', 'datasets/smoke.csv', '--no-progress', '--mock', '--header', `X-Api-Key=${SECRETS.xApiKey}`],
      ENV,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--header/);
    await expectNoSecrets(r, undefined);
  });

  it('capacity against a mock at a URL with credentials', async () => {
    await withMock({ ttftMs: 1, replyTokens: 3 }, async (mock) => {
      const out = join(dir, 'capacity');
      const r = await runCli(
        [
          'capacity',
          'datasets/smoke.csv',
          '--base-url',
          withUserinfo(mock.url),
          '--max',
          '1',
          '--step-duration',
          '200ms',
          '-o',
          out,
          ...secretFlags(config),
        ],
        ENV,
      );
      expect(r.code, r.stderr).toBe(0);
      await expectNoSecrets(r, out);
    });
  });
});
