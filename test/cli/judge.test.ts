import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../helpers/cli.js';

describe('stepbench run: judge and config checks', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-cli-judge-'));
  });

  it('--grader with --mock: judge rows graded by the mock; the grader block in report.json', async () => {
    const rows = join(dir, 'rows.jsonl');
    await writeFile(
      rows,
      `${JSON.stringify({ id: 'never', prompt: 'hi', assert: [{ type: 'judge', value: 'Names "zebra-quartz"' }] })}\n`,
    );
    const out = join(dir, 'out-grader');
    const r = await runCli(['run', rows, '--mock', '--grader', 'step-3.5-flash', '-o', out, '--no-progress']);
    expect(r.code).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.grader).toMatchObject({ model: 'step-3.5-flash', requests: 1, verdicts: 1, errors: 0 });
    const result = JSON.parse((await readFile(join(out, 'results.jsonl'), 'utf8')).trim());
    expect(result.checks.results[0].reason).toBe(
      'grader step-3.5-flash: mock grader: the output lacks "zebra-quartz"',
    );
  });

  it('a bad default assertion is exit 2 naming the config file, without a stack', async () => {
    const config = join(dir, 'stepbench.yaml');
    await writeFile(config, 'defaultAssert:\n  - {type: regex, value: "("}\n');
    const r = await runCli(['run', 'datasets/smoke.csv', '--mock', '--config', config, '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stepbench\.yaml: defaultAssert\[0\] \(regex\): bad regex/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
