import { describe, expect, it } from 'vitest';
import { flagPath } from '../../src/cli/settings-from-args.js';
import { UserError } from '../../src/errors.js';
import { resolveCapacityConfig } from '../../src/plan/capacity-config.js';
import { parseConfig } from '../../src/plan/config-file.js';
import { RUN_DEFAULTS } from '../../src/plan/defaults.js';
import { resolveRunConfig } from '../../src/plan/run-config.js';

const env = { STEP_API_KEY: 'k' };

describe('resolveRunConfig: one place for every default', () => {
  it('a closed loop is adaptive by default, an open loop is not (one rule, not two)', () => {
    const closed = resolveRunConfig({ datasets: ['d.csv'], env }, undefined);
    expect(closed.limits).toEqual({ adaptive: true, maxConcurrency: 8 });
    const open = resolveRunConfig({ datasets: ['d.csv'], rate: 5, env }, undefined);
    expect(open.limits.adaptive).toBe(false);
    expect(
      resolveRunConfig({ datasets: ['d.csv'], rate: 5, adaptive: true, env }, undefined).limits.adaptive,
    ).toBe(true);
  });

  it('--prescan: a duration, or all for no limit; 1 s by default; anything else names the flag', () => {
    expect(resolveRunConfig({ datasets: ['d.csv'], env }, undefined).prescanMs).toBe(RUN_DEFAULTS.prescanMs);
    expect(resolveRunConfig({ datasets: ['d.csv'], prescan: '250ms', env }, undefined).prescanMs).toBe(250);
    expect(resolveRunConfig({ datasets: ['d.csv'], prescan: 'all', env }, undefined).prescanMs).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(() =>
      resolveRunConfig({ datasets: ['d.csv'], prescan: 'soon', env }, undefined, { path: flagPath }),
    ).toThrow(/prescan.*must be a duration such as 500ms or 2s, or 'all' \(got "soon"\)/);
  });

  it('fills every default', () => {
    const c = resolveRunConfig({ datasets: ['d.csv'], env }, undefined);
    expect(c.timeouts).toEqual(RUN_DEFAULTS.timeouts);
    expect(c.graceMs).toBe(RUN_DEFAULTS.graceMs);
    expect(c.retryPolicy.retries).toBe(4);
    expect(c.plan).toEqual({ repeat: 1 });
    expect(c.dataset).toEqual({ onBadRow: 'fail', encoding: 'utf8' });
    expect(c.output).toMatchObject({ dir: undefined, mode: 'new', recordHostname: false });
    expect(c.phases.map((p) => p.name)).toEqual(['main']);
  });

  it('a tier preset fills concurrency, RPM and TPM; explicit values win', () => {
    const c = resolveRunConfig({ datasets: ['d.csv'], tier: 'V0', rpm: 7, env }, undefined);
    expect(c.limits).toMatchObject({ maxConcurrency: 5, rpm: 7, tpm: 5_000_000, tier: 'V0' });
  });

  it('the config file accepts every run setting the command line has', () => {
    const file = parseConfig(
      {
        run: {
          datasets: ['a.csv'],
          concurrency: 3,
          retries: 1,
          timeouts: { connect: '2s', firstToken: '30s', idle: '10s', total: '1m' },
          grace: '5s',
          rpm: 100,
          tpm: 5000,
          maxErrorRate: 0.1,
          slos: ['ttft.p95<2s'],
          arrivalSeed: 42,
          encoding: 'latin1',
          recordHostname: true,
          onBadRow: 'skip',
          repeat: 2,
          requests: 50,
        },
      },
      'c.yaml',
    );
    const c = resolveRunConfig({ env }, file);
    expect(c.datasets).toEqual(['a.csv']);
    expect(c.limits).toMatchObject({ maxConcurrency: 3, rpm: 100, tpm: 5000 });
    expect(c.retryPolicy.retries).toBe(1);
    expect(c.timeouts).toEqual({ connectMs: 2000, firstTokenMs: 30_000, idleMs: 10_000, totalMs: 60_000 });
    expect(c.graceMs).toBe(5000);
    expect(c.maxErrorRate).toBe(0.1);
    expect(c.slos.map((s) => s.text)).toEqual(['ttft.p95<2s']);
    expect(c.arrivalSeed).toBe(42);
    expect(c.dataset).toEqual({ onBadRow: 'skip', encoding: 'latin1' });
    expect(c.output.recordHostname).toBe(true);
    expect(c.plan).toEqual({ repeat: 2, requests: 50 });
  });

  it('an open-loop config: rate, arrival, duration, warmup and ramp', () => {
    const file = parseConfig(
      {
        run: {
          datasets: ['a.csv'],
          rate: 4,
          arrival: 'gamma',
          burstiness: 0.5,
          duration: '10s',
          warmup: 20,
          ramp: '5s',
        },
      },
      'c.yaml',
    );
    const c = resolveRunConfig({ env }, file);
    expect(c.phases.map((p) => [p.name, p.bounds])).toEqual([
      ['warmup', { requests: 20 }],
      ['ramp', { durationMs: 5000 }],
      ['main', { durationMs: 10_000 }],
    ]);
    expect(c.phases[2]?.load).toEqual({
      kind: 'open',
      rate: { kind: 'constant', value: 4 },
      arrival: { kind: 'gamma', burstiness: 0.5 },
    });
  });

  it('flags override the file; load flags replace its phases', () => {
    const file = parseConfig(
      {
        run: { datasets: ['a.csv'], concurrency: 3, phases: [{ name: 'hold', concurrency: 2, requests: 5 }] },
      },
      'c.yaml',
    );
    expect(resolveRunConfig({ env }, file).phases.map((p) => p.name)).toEqual(['hold']);
    const c = resolveRunConfig({ env, concurrency: 6, duration: '1s' }, file);
    expect(c.phases.map((p) => p.name)).toEqual(['main']);
    expect(c.limits.maxConcurrency).toBe(6);
  });

  it('command-line text is converted and bad text quoted with the flag', () => {
    const c = resolveRunConfig({ datasets: ['d.csv'], concurrency: '16', duration: '90', env }, undefined, {
      path: flagPath,
    });
    expect(c.limits.maxConcurrency).toBe(16);
    expect(c.phases[0]?.bounds.durationMs).toBe(90_000);
    const bad = () =>
      resolveRunConfig(
        { datasets: ['d.csv'], concurrency: 'abc', timeouts: { firstToken: 'soon' }, env },
        undefined,
        {
          path: flagPath,
        },
      );
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/--concurrency: must be a whole number ≥ 1 \(got "abc"\)/);
    expect(bad).toThrow(/--timeout-first-token: must be a duration/);
  });

  it('abortOnGate: off by default, read from the file or the flag, refused without a gate', () => {
    expect(resolveRunConfig({ datasets: ['d.csv'], env }, undefined).abortOnGate).toBe(false);
    const file = parseConfig(
      { run: { datasets: ['a.csv'], gates: ['pass_rate>=0.9'], abortOnGate: true } },
      'c.yaml',
    );
    expect(resolveRunConfig({ env }, file)).toMatchObject({
      abortOnGate: true,
      gates: [{ text: 'pass_rate>=0.9' }],
    });
    const flag = () =>
      resolveRunConfig({ datasets: ['d.csv'], abortOnGate: true, gates: ['slo'], env }, undefined, {
        path: flagPath,
      });
    expect(flag).toThrow(UserError);
    expect(flag).toThrow(
      /^--abort-on-gate stops the run when a gate can no longer pass, but no gate was given/,
    );
    const inFile = parseConfig({ run: { datasets: ['a.csv'], abortOnGate: true } }, 'c.yaml');
    expect(() => resolveRunConfig({ env }, inFile)).toThrow(/^abortOnGate stops the run/);
  });

  it('reference: read from the file, the flag wins; absent means the first target', () => {
    expect(resolveRunConfig({ datasets: ['d.csv'], env }, undefined).reference).toBeUndefined();
    const file = parseConfig({ run: { datasets: ['a.csv'], reference: 'cheap' } }, 'c.yaml');
    expect(resolveRunConfig({ env }, file).reference).toBe('cheap');
    expect(resolveRunConfig({ env, reference: 'fast' }, file).reference).toBe('fast');
    const empty = () =>
      resolveRunConfig({ datasets: ['d.csv'], reference: '', env }, undefined, { path: flagPath });
    expect(empty).toThrow(/^--reference: must not be empty/);
  });

  it('contradictory output options are refused', () => {
    expect(() =>
      resolveRunConfig({ datasets: ['d.csv'], resume: 'r', overwrite: true, env }, undefined),
    ).toThrow(/--overwrite and --resume/);
    expect(() => resolveRunConfig({ datasets: ['d.csv'], retryErrors: true, env }, undefined)).toThrow(
      /--retry-errors only makes sense with --resume/,
    );
  });

  it('no dataset anywhere', () => {
    expect(() => resolveRunConfig({ env }, undefined)).toThrow(/no dataset given/);
  });
});

describe('resolveCapacityConfig', () => {
  it('retries and adaptive control off, steps bounded, arrivals even', () => {
    const c = resolveCapacityConfig({ datasets: ['c.csv'], env, by: 'rate', max: 40 }, undefined);
    expect(c.retryPolicy.retries).toBe(0);
    expect(c.limits.adaptive).toBe(false);
    expect(c.search).toMatchObject({
      dimension: 'rate',
      start: 1,
      max: 40,
      stepBounds: { durationMs: 20_000, requests: 2_000 },
      arrival: { kind: 'constant' },
    });
  });

  it('reads datasets, SLOs and its own section from the config file', () => {
    const file = parseConfig(
      {
        run: { datasets: ['c.csv'], slos: ['e2e<5s'] },
        capacity: { max: 16, stepDuration: '5s', max429Share: 0.05 },
      },
      'c.yaml',
    );
    const c = resolveCapacityConfig({ env }, file);
    expect(c.datasets).toEqual(['c.csv']);
    expect(c.slos.map((s) => s.text)).toEqual(['e2e<5s']);
    expect(c.search).toMatchObject({
      max: 16,
      stepBounds: { durationMs: 5000 },
      thresholds: { max429Share: 0.05 },
    });
  });

  it('--max below --start is a usage error, not an internal one', () => {
    expect(() => resolveCapacityConfig({ datasets: ['c.csv'], env, start: 8, max: 4 }, undefined)).toThrow(
      UserError,
    );
  });
});
