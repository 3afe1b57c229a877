import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownText, summaryMarkdown, writeSummaryMarkdown } from '../../src/report/summary-md.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

describe('markdownText', () => {
  it('escapes what Markdown or HTML would read as syntax, flattens lines and bounds the length', () => {
    expect(markdownText('<img src=x onerror=alert(1)> | **bold** [link](http://x)')).toBe(
      '\\<img src=x onerror=alert\\(1\\)\\> \\| \\*\\*bold\\*\\* \\[link\\]\\(http://x\\)',
    );
    expect(markdownText('a\n\n# heading\r\n`code`')).toBe('a \\# heading \\`code\\`');
    expect(markdownText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('summary.md', () => {
  it('is written next to report.json with the verdict, gates, targets and failed rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-summary-'));
    const path = join(dir, 'rows.jsonl');
    await writeFile(
      path,
      `${JSON.stringify({ id: 'r|1', prompt: 'hi', assert: [{ type: 'contains', value: 'zebra-quartz' }] })}\n${JSON.stringify({ id: 'r2', prompt: 'hi' })}\n`,
    );
    await withMock({ ttftMs: 1, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
      const out = join(dir, 'out');
      const o = await run({
        datasets: [path],
        baseUrl: mock.url,
        env: { STEP_API_KEY: 'k' },
        out,
        gates: ['pass_rate>=0.9'],
      });
      const md = await readFile(join(out, 'summary.md'), 'utf8');
      expect(md).toMatch(/^## stepbench run .*: 1 of 1 gates failed$/m);
      // The pass rate counts judged answers only: the unchecked row r2 is not in it.
      expect(md).toMatch(/\| pass\\_rate\\>=0\\\.9 \| step\\-3\\\.7\\-flash \| 0 \| \*\*FAIL\*\* \|/);
      expect(md).toMatch(/\| step\\-3\\\.7\\-flash \| 2 \| 0\.0% \(0 \/ 1\) \| 1 \| 0 \|/);
      expect(md).toMatch(/### Rows that failed their checks \(1\)/);
      // The row id's `|` is escaped, so it cannot break the table.
      expect(md).toContain('| r\\|1 | step\\-3\\.7\\-flash | contains |');
      expect(o.exitCode).toBe(1);
    });
  });

  it('is appended to $GITHUB_STEP_SUMMARY when that is set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-summary-'));
    const step = join(dir, 'step.md');
    await writeFile(step, 'earlier step\n');
    await writeSummaryMarkdown(join(dir, 'summary.md'), '## hello\n', { GITHUB_STEP_SUMMARY: step });
    expect(await readFile(step, 'utf8')).toBe('earlier step\n## hello\n\n');
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe('## hello\n');
    await writeSummaryMarkdown(join(dir, 'again.md'), '## quiet\n', {});
    expect(await readFile(step, 'utf8')).toBe('earlier step\n## hello\n\n');
  });

  it('says passed when nothing failed', () => {
    const report = {
      run: { id: 'r' },
      targets: [],
    } as unknown as Parameters<typeof summaryMarkdown>[0];
    expect(summaryMarkdown(report, [] as JobResult[])).toMatch(/^## stepbench run r: passed/);
  });
});
