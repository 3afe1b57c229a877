import { describe, expect, it } from 'vitest';
import { PageRowsBuilder, VERDICTS } from '../../../src/report/html/page-rows.js';
import { OUTCOME_CLASSES } from '../../../src/results/outcomes.js';
import type { JobResult } from '../../../src/results/types.js';
import { makeResult } from '../../metrics/job-result-factory.js';

const LIMITS = { textCap: 10, textBudget: 25, smallTextCap: 3, maxRows: 5 };

function withOutput(output: string, extra: Partial<JobResult> = {}): JobResult {
  return { ...makeResult({ target: 'a' }), output, ...extra };
}

describe('PageRowsBuilder', () => {
  it('makes one tuple per result with the table columns and the detail', () => {
    const b = new PageRowsBuilder(['a', 'b'], new Map([['k2', 'regressed']]));
    b.add({
      ...makeResult({ target: 'b', outcome: 'assertion_failed', ttft: 12.345, e2e: 99.99 }),
      key: 'k2',
      rowId: 'r2',
      repeat: 1,
      cost: 0.0012,
      checks: { pass: false, score: 0, results: [{ type: 'contains', pass: false, score: 0, reason: 'no' }] },
    });
    const { rows, targets, outcomes, verdicts } = b.result();
    expect(targets).toEqual(['a', 'b']);
    expect(outcomes).toEqual(OUTCOME_CLASSES);
    expect(verdicts).toEqual(VERDICTS);
    const [row] = rows;
    expect(row?.slice(0, 10)).toEqual([
      'r2',
      1,
      1,
      OUTCOME_CLASSES.indexOf('assertion_failed'),
      VERDICTS.indexOf('failed'),
      12.3,
      100,
      50,
      0.0012,
      'regressed',
    ]);
    expect(row?.[10]).toMatchObject({
      key: 'k2',
      source: expect.stringMatching(/prompts\.csv:\d+/),
      output: 'answer',
    });
  });

  it('keeps a missing cost missing (unknown), never 0', () => {
    const b = new PageRowsBuilder(['a']);
    b.add(withOutput('x'));
    expect(b.result().rows[0]?.[8]).toBeNull();
  });

  it('cuts long texts to the cap, then to the small cap once the budget is spent, and counts both', () => {
    const b = new PageRowsBuilder(['a'], new Map(), LIMITS);
    for (let i = 0; i < 4; i++) b.add(withOutput('0123456789abcdef'));
    const outputs = b.result().rows.map((r) => r[10]);
    expect(outputs.map((d) => d.output)).toEqual(['0123456789', '0123456789', '0123456789', '012']);
    expect(outputs.every((d) => d.outputCut === 16)).toBe(true);
    expect(b.info).toMatchObject({ cut: 3, cutSmall: 1 });
  });

  it('never cuts a surrogate pair in half', () => {
    const b = new PageRowsBuilder(['a'], new Map(), LIMITS);
    b.add(withOutput('123456789😀😀'));
    expect(b.result().rows[0]?.[10].output).toBe('123456789');
  });

  it('holds at most maxRows rows and counts the rest', () => {
    const b = new PageRowsBuilder(['a'], new Map(), LIMITS);
    for (let i = 0; i < 8; i++) b.add(withOutput('x'));
    expect(b.result().rows).toHaveLength(5);
    expect(b.info).toMatchObject({ total: 8, shown: 5 });
  });
});
