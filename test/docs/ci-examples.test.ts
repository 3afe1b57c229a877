import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseGate } from '../../src/eval/gate.js';

// The CI examples are copied into real pipelines: every stepbench command in them must use flags
// the CLI has, gates it accepts, and outputs the rest of the file then reads.
const EXAMPLES = ['examples/github-actions.yml', 'examples/gitlab-ci.yml'];

/** Every shell text in a parsed YAML document (`run:` and `script:` entries alike). */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

/** The words of each `npx stepbench run …` command, quotes removed ('a b' stays one word). */
function stepbenchCommands(doc: unknown): string[][] {
  return strings(doc)
    .filter((text) => text.includes('npx stepbench run'))
    .map((text) => {
      const command = text.slice(text.indexOf('npx stepbench run'));
      return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string);
    });
}

function flagValues(words: string[], flag: string): string[] {
  return words.flatMap((word, i) => (word === flag ? [words[i + 1] as string] : []));
}

let runHelp = '';
beforeAll(() => {
  runHelp = execFileSync(process.execPath, ['dist/cli/main.js', 'run', '--help'], { encoding: 'utf8' });
});

describe.each(EXAMPLES)('%s', (file) => {
  let doc: unknown;
  let commands: string[][];
  beforeAll(async () => {
    doc = parseYaml(await readFile(file, 'utf8'));
    commands = stepbenchCommands(doc);
  });

  it('runs stepbench against the mock and, with the secret, against StepFun with a baseline', () => {
    expect(commands.length).toBe(2);
    expect(commands.some((words) => words.includes('--mock'))).toBe(true);
    const live = commands.find((words) => !words.includes('--mock'));
    expect(live).toBeDefined();
    expect(strings(doc).join('\n')).toContain('STEP_API_KEY');
    expect(strings(doc).join('\n')).toContain('--baseline baseline');
  });

  it('uses only flags `stepbench run` has, and gates it accepts', () => {
    for (const words of commands) {
      for (const word of words.filter((w) => w.startsWith('--'))) {
        expect(runHelp, `${file}: ${word}`).toContain(`${word} `);
      }
      for (const gate of flagValues(words, '--gate')) expect(() => parseGate(gate)).not.toThrow();
    }
  });

  it('keeps the outputs it writes: the reports, and junit.xml where the CI reads it', () => {
    const text = strings(doc).join('\n');
    for (const words of commands) {
      const [out] = flagValues(words, '--out');
      expect(out).toBeDefined();
      expect(text).toContain(`${out}/`);
    }
    if (file.includes('gitlab')) expect(text).toContain('reports/stepfun/junit.xml');
    else {
      // The baseline artifact main uploads is the one pull requests download.
      const uploads = strings(doc).filter((t) => t === 'stepbench-baseline');
      expect(uploads.length).toBe(1);
      expect(text).toContain('--name stepbench-baseline');
    }
  });
});
