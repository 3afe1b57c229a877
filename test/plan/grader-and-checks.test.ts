import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/plan/config-file.js';
import { MOCK_API_KEY, STEPFUN_BASE_URL } from '../../src/plan/defaults.js';
import { resolveGrader, resolveTargets } from '../../src/plan/targets.js';

const env = { STEP_API_KEY: 'sk-run', JUDGE_KEY: 'sk-judge' };

describe('config checks: defaultAssert and targets[].assert', () => {
  it('are validated into assertion specs', () => {
    const config = parseConfig(
      {
        defaultAssert: [{ type: 'not-icontains', value: 'sorry' }],
        targets: [{ model: 'a' }, { model: 'b', assert: [{ type: 'max-ttft', value: '2s' }] }],
      },
      'c.yaml',
    );
    expect(config.defaultAssert).toEqual([
      { type: 'not-icontains', negate: true, weight: 1, kind: 'icontains', value: 'sorry' },
    ]);
    expect(config.targets?.[0]).toEqual({ model: 'a' });
    expect(config.targets?.[1]?.assert).toEqual([
      { type: 'max-ttft', negate: false, weight: 1, kind: 'max-ttft', value: 2000 },
    ]);
  });

  it('a bad one names the file and its path', () => {
    const bad = (raw: unknown) => () => parseConfig(raw, 'stepbench.yaml');
    expect(bad({ defaultAssert: [{ type: 'contians', value: 'x' }] })).toThrow(
      /^stepbench\.yaml: defaultAssert\[0\]: .*contains/,
    );
    expect(
      bad({ targets: [{ model: 'a' }, { model: 'b', assert: [{ type: 'regex', value: '(' }] }] }),
    ).toThrow(/^stepbench\.yaml: targets\[1\]\.assert\[0\] \(regex\): bad regex/);
    expect(bad({ defaultAssert: { type: 'contains', value: 'x' } })).toThrow(
      /defaultAssert: must be a list of assertions/,
    );
    // `defaults` are target defaults that a target overrides; checks are not overridden, so they
    // have their own key.
    expect(bad({ defaults: { assert: [] } })).toThrow(/defaults\.assert: unknown key/);
    expect(bad({ defaultAssert: [] })).not.toThrow();
  });

  it('a custom check in the config that does not load stops the load, naming the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-cfg-checks-'));
    const file = join(dir, 'stepbench.yaml');
    await writeFile(file, 'defaultAssert:\n  - type: custom\n    value: file:./missing.mjs#check\n');
    await expect(loadConfigFile(file)).rejects.toThrow(
      /stepbench\.yaml: custom check file:\.\/missing\.mjs#check/,
    );
  });

  it('every target carries defaultAssert then its own assert; --model targets get defaultAssert', () => {
    const config = parseConfig(
      {
        defaultAssert: [{ type: 'is-json' }],
        targets: [{ model: 'a' }, { model: 'b', assert: [{ type: 'contains', value: 'x' }] }],
      },
      'c.yaml',
    );
    const targets = resolveTargets({ config, flags: {}, env });
    expect(targets.map((t) => t.checks?.map((c) => c.type))).toEqual([['is-json'], ['is-json', 'contains']]);
    const byFlag = resolveTargets({ config, flags: { models: ['m'] }, env });
    expect(byFlag[0]?.checks?.map((c) => c.type)).toEqual(['is-json']);
    expect(resolveTargets({ flags: {}, env })[0]?.checks).toBeUndefined();
  });
});

describe('resolveGrader', () => {
  it('none without --grader or a config grader: the offline grader judges', () => {
    expect(resolveGrader({ flags: {}, env })).toBeUndefined();
  });

  it('--grader MODEL: where the targets are, non-streaming at temperature 0, without the run’s params', () => {
    const grader = resolveGrader({
      flags: {
        grader: 'step-3.5-flash',
        baseUrl: 'https://example.test/v1',
        params: { max_tokens: 5 },
        stream: true,
      },
      env,
    });
    expect(grader).toMatchObject({
      name: 'grader',
      model: 'step-3.5-flash',
      baseUrl: 'https://example.test/v1',
      apiKey: 'sk-run',
      params: { temperature: 0 },
      stream: false,
      streamUsage: false,
    });
    expect(grader?.price?.output).toBe(2.1);
  });

  it('the config grader: a model name, or its own endpoint that wins over the targets’ flags; --grader sets the model', () => {
    const short = parseConfig({ grader: 'step-3.5-flash' }, 'c.yaml');
    expect(resolveGrader({ config: short, flags: {}, env })).toMatchObject({
      model: 'step-3.5-flash',
      baseUrl: STEPFUN_BASE_URL,
    });
    const own = parseConfig(
      {
        defaults: { params: { max_tokens: 9 } },
        grader: {
          model: 'judge',
          baseUrl: 'https://judge.test/v1',
          apiKeyEnv: 'JUDGE_KEY',
          params: { seed: 1 },
        },
      },
      'c.yaml',
    );
    const grader = resolveGrader({
      config: own,
      flags: { baseUrl: 'http://localhost:8000/v1', grader: 'judge-2' },
      env,
    });
    expect(grader).toMatchObject({
      model: 'judge-2',
      baseUrl: 'https://judge.test/v1',
      apiKey: 'sk-judge',
      apiKeyEnv: 'JUDGE_KEY',
      params: { temperature: 0, seed: 1 },
    });
    expect(grader?.price).toBeUndefined();
  });

  it('points at the mock with the mock’s key under --mock', () => {
    const config = parseConfig(
      { grader: { model: 'g', baseUrl: 'https://judge.test/v1', apiKeyEnv: 'NONE' } },
      'c',
    );
    expect(resolveGrader({ config, flags: {}, env: {}, mockBaseUrl: 'http://127.0.0.1:9/v1' })).toMatchObject(
      {
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: MOCK_API_KEY,
      },
    );
  });

  it('bad input is a clear error: a missing key, an empty --grader, a grader that streams', () => {
    const config = parseConfig({ grader: { model: 'g', apiKeyEnv: 'JUDGE_MISSING' } }, 'c.yaml');
    expect(() => resolveGrader({ config, flags: {}, env })).toThrow(
      /JUDGE_MISSING is not set.*the grader \(g\)/,
    );
    expect(() => resolveGrader({ flags: { grader: ' ' }, env })).toThrow(/--grader needs a model name/);
    expect(() => parseConfig({ grader: { model: 'g', stream: true } }, 'c.yaml')).toThrow(
      /c\.yaml: invalid config: grader\.stream: unknown key/,
    );
  });
});
