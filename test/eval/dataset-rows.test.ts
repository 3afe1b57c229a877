import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRow } from '../../src/eval/assertions/evaluate.js';
import { rowAssertions } from '../../src/eval/expected.js';
import { readAll, readRows, tempFile } from '../dataset/helpers.js';

// From a dataset file to an evaluated row, the way the run will wire it.
describe('dataset rows into assertions', () => {
  it('a JSONL row: expected, an assert list in promptfoo’s shape, and a threshold', async () => {
    const row = {
      id: 'fr',
      prompt: 'Capital of France?',
      expected: 'Paris',
      assert: [
        { type: 'not-icontains', value: 'sorry' },
        { type: 'max-tokens', value: 5, weight: 2 },
      ],
      threshold: 0.6,
    };
    const file = tempFile('rows.jsonl', `${JSON.stringify(row)}\n`);
    const [read] = await readRows(file);
    expect(read!.threshold).toBe(0.6);
    expect(read!.vars).toEqual({});
    const specs = rowAssertions(read!, { baseDir: dirname(file) });
    expect(specs.map((spec) => spec.type)).toEqual(['icontains', 'not-icontains', 'max-tokens']);
    const evaluation = await evaluateRow(
      specs,
      { output: 'Paris', usage: { completionTokens: 9 } },
      { threshold: read!.threshold! },
    );
    expect(evaluation).toMatchObject({ pass: false, score: 0.5 });
  });

  it('a CSV row: assert: columns and a threshold cell', async () => {
    const file = tempFile(
      'rows.csv',
      'id,prompt,expected,assert:not-icontains,assert:regex,threshold\nfr,Capital of France?,Paris,sorry,/paris\\.?$/i,0.5\n',
    );
    const [read] = await readRows(file);
    expect(read!.threshold).toBe(0.5);
    // The reader turns the assert: columns into checks, after `expected`; they are not variables.
    const specs = read!.checks!;
    expect(specs.map((spec) => spec.type)).toEqual(['icontains', 'not-icontains', 'regex']);
    expect(Object.keys(read!.vars)).toEqual([]);
    expect((await evaluateRow(specs, { output: 'Paris.' })).pass).toBe(true);
    expect((await evaluateRow(specs, { output: 'Sorry, Paris.' }, { threshold: 0.5 })).pass).toBe(true);
    expect((await evaluateRow(specs, { output: 'Sorry, Paris.' })).pass).toBe(false);
  });

  it('a threshold outside 0..1 is a bad row naming file and line', async () => {
    const file = tempFile('bad.jsonl', `${JSON.stringify({ prompt: 'a', threshold: 75 })}\n`);
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(items).toEqual([
      { kind: 'bad', bad: { file, line: 1, reason: 'threshold must be a number between 0 and 1, got 75' } },
    ]);
  });
});
