import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadConfigFile, parseConfig } from '../../src/plan/config-file.js';

describe('parseConfig', () => {
  it('accepts defaults, targets and run settings', () => {
    const cfg = parseConfig(
      {
        defaults: { baseUrl: 'https://api.stepfun.com/v1', params: { temperature: 0.2 } },
        targets: [{ model: 'step-3.7-flash' }, { name: 'cheap', model: 'step-3.5-flash', stream: false }],
        run: { concurrency: 16, repeat: 2, onBadRow: 'skip', datasets: ['a.csv'] },
      },
      'c.yaml',
    );
    expect(cfg.targets).toHaveLength(2);
    expect(cfg.targets?.[1]).toEqual({ name: 'cheap', model: 'step-3.5-flash', stream: false });
    expect(cfg.run).toEqual({ concurrency: 16, repeat: 2, onBadRow: 'skip', datasets: ['a.csv'] });
  });

  it('names every bad key in one message', () => {
    const bad = () =>
      parseConfig(
        {
          targets: [
            { model: 'x', paramz: {} },
            { model: 'y', params: { temprature: 1 } },
          ],
          run: { concurrency: 0 },
        },
        'c.yaml',
      );
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/targets\[0\]\.paramz: unknown key/);
    expect(bad).toThrow(/targets\[1\]\.params\.temprature: unknown key/);
    expect(bad).toThrow(/run\.concurrency: must be a whole number/);
  });

  it('rejects a price without all fields', () => {
    expect(() =>
      parseConfig({ targets: [{ model: 'm', price: { currency: 'CNY', input: 1 } }] }, 'c.json'),
    ).toThrow(/targets\[0\]\.price\.cachedInput/);
  });
});

describe('loadConfigFile', () => {
  it('reads YAML and reports syntax errors with the file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-cfg-'));
    const good = join(dir, 'good.yaml');
    await writeFile(good, 'targets:\n  - model: step-3.5-flash\n    params: { max_tokens: 64 }\n');
    expect((await loadConfigFile(good)).targets?.[0]?.params).toEqual({ max_tokens: 64 });
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'targets: [\n');
    await expect(loadConfigFile(broken)).rejects.toThrow(/broken\.yaml: not valid YAML/);
    await expect(loadConfigFile(join(dir, 'missing.yaml'))).rejects.toThrow(/config file not found/);
  });
});
