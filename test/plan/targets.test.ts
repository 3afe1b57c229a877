import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/plan/config-file.js';
import { MOCK_API_KEY, STEPFUN_BASE_URL } from '../../src/plan/defaults.js';
import { resolveTargets } from '../../src/plan/targets.js';

describe('resolveTargets', () => {
  it('defaults to StepFun step-3.7-flash with STEP_API_KEY', () => {
    const [t] = resolveTargets({ flags: {}, env: { STEP_API_KEY: 'sk-test-123' } });
    expect(t).toMatchObject({
      name: 'step-3.7-flash',
      baseUrl: STEPFUN_BASE_URL,
      model: 'step-3.7-flash',
      stream: true,
    });
    expect(t?.apiKey).toBe('sk-test-123');
    expect(t?.price?.output).toBe(8.1);
  });

  it('a missing key is a clear error that suggests --mock', () => {
    expect(() => resolveTargets({ flags: {}, env: {} })).toThrow(/STEP_API_KEY is not set.*--mock/s);
  });

  it('makes one target per --model and keeps names unique', () => {
    const targets = resolveTargets({
      flags: { models: ['step-3.7-flash', 'step-3.5-flash', 'step-3.5-flash'], params: { max_tokens: 8 } },
      env: { STEP_API_KEY: 'k-abcdef' },
    });
    expect(targets.map((t) => t.name)).toEqual(['step-3.7-flash', 'step-3.5-flash', 'step-3.5-flash#2']);
    expect(targets.every((t) => t.params.max_tokens === 8)).toBe(true);
  });

  it('flags override config targets, config targets override defaults', () => {
    const config = parseConfig(
      {
        defaults: { apiKeyEnv: 'MY_KEY', params: { temperature: 0.1 } },
        targets: [{ name: 'a', model: 'step-3.5-flash', params: { top_p: 0.5 } }],
      },
      'c.yaml',
    );
    const [t] = resolveTargets({
      config,
      flags: { params: { temperature: 0.9 }, stream: false },
      env: { MY_KEY: 'abcd1234' },
    });
    expect(t).toMatchObject({ name: 'a', model: 'step-3.5-flash', stream: false, apiKeyEnv: 'MY_KEY' });
    expect(t?.params).toEqual({ temperature: 0.9, top_p: 0.5 });
  });

  it('points every target at the mock with a mock key', () => {
    const [t] = resolveTargets({ flags: {}, env: {}, mockBaseUrl: 'http://127.0.0.1:1/v1' });
    expect(t).toMatchObject({ baseUrl: 'http://127.0.0.1:1/v1', apiKey: MOCK_API_KEY });
  });

  it('an unknown model has no price (cost unknown, not zero)', () => {
    const [t] = resolveTargets({ flags: { models: ['my-finetune'] }, env: { STEP_API_KEY: 'abcd1234' } });
    expect(t?.price).toBeUndefined();
  });
});
