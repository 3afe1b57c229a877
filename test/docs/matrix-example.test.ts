import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

type Step = { run?: string; with?: Record<string, unknown> };
type Workflow = {
  env: { SHARDS: number };
  jobs: Record<string, { steps: Step[]; needs?: string; strategy?: { matrix: { index: number[] } } }>;
};

const help = (command: string) =>
  execFileSync(process.execPath, ['dist/cli/main.js', command, '--help'], { encoding: 'utf8' });
const flags = (text: string) => [...text.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1] as string);

// examples/github-actions-matrix.yml is copied into real workflows: its shards must cover every
// index once, and its commands must use flags the CLI has.
describe('examples/github-actions-matrix.yml', () => {
  it('runs one shard per matrix index, uploads each, and merges them all', async () => {
    const wf = parseYaml(await readFile('examples/github-actions-matrix.yml', 'utf8')) as Workflow;
    const shard = wf.jobs.shard;
    const merge = wf.jobs.merge;
    expect(shard?.strategy?.matrix.index).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i));
    expect(merge?.needs).toBe('shard');
    const runText = shard?.steps.map((s) => s.run ?? '').find((t) => t.includes('npx stepbench run')) ?? '';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(runText).toContain('--shard ${{ matrix.index }}/${{ env.SHARDS }}');
    const runHelp = help('run');
    for (const flag of flags(runText)) expect(runHelp, flag).toContain(`${flag} `);
    const mergeText =
      merge?.steps.map((s) => s.run ?? '').find((t) => t.includes('npx stepbench merge')) ?? '';
    const mergeHelp = help('merge');
    for (const flag of flags(mergeText)) expect(mergeHelp, flag).toContain(`${flag} `);
    const uploaded = shard?.steps.find((s) => s.with?.name)?.with?.name;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(uploaded).toBe('shard-${{ matrix.index }}');
    const pattern = merge?.steps.find((s) => s.with?.pattern)?.with?.pattern;
    expect(pattern).toBe('shard-*');
    expect(mergeText).toContain('reports/shard-*');
  });
});
