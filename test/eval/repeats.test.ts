import { describe, expect, it } from 'vitest';
import { RepeatTracker, summarizeRepeats, wilsonInterval } from '../../src/eval/repeats.js';

describe('wilsonInterval', () => {
  it('matches known 95 % values', () => {
    // 8/10: the textbook example (Wilson 1927; e.g. Newcombe 1998, method 3).
    const eight = wilsonInterval(8, 10)!;
    expect(eight.low).toBeCloseTo(0.4902, 4);
    expect(eight.high).toBeCloseTo(0.9433, 4);
    // 81/263 (Newcombe 1998, table I: 0.2553–0.3662).
    const newcombe = wilsonInterval(81, 263)!;
    expect(newcombe.low).toBeCloseTo(0.2553, 4);
    expect(newcombe.high).toBeCloseTo(0.3662, 4);
    // 15/148 (Newcombe 1998: 0.0624–0.1605).
    const small = wilsonInterval(15, 148)!;
    expect(small.low).toBeCloseTo(0.0624, 4);
    expect(small.high).toBeCloseTo(0.1605, 4);
    // 1/2: symmetric around 0.5.
    const half = wilsonInterval(1, 2)!;
    expect(half.low).toBeCloseTo(0.0945, 4);
    expect(half.high).toBeCloseTo(0.9055, 4);
  });

  it('is exact at 0/n and n/n and never zero-width there', () => {
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(10, 10)).toEqual({ low: expect.closeTo(0.7225, 4), high: 1 });
    expect(wilsonInterval(1, 1)).toEqual({ low: expect.closeTo(0.2065, 4), high: 1 });
  });

  it('null without runs; passes outside 0..runs is a bug', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('summarizeRepeats', () => {
  const outcomes = [
    ...[true, true, true].map((pass) => ({ rowId: 'a', target: 'fast', pass })),
    ...[true, false, true].map((pass) => ({ rowId: 'b', target: 'fast', pass })),
    ...[false, false, false].map((pass) => ({ rowId: 'c', target: 'fast', pass })),
    ...[true, true].map((pass) => ({ rowId: 'a', target: 'slow', pass })),
  ];

  it('per row × target: pass rate, Wilson interval, pass^k and flakiness', () => {
    const summary = summarizeRepeats(outcomes);
    expect(
      summary.rows.map((row) => [row.target, row.rowId, row.passes, row.runs, row.allPassed, row.flaky]),
    ).toEqual([
      ['fast', 'a', 3, 3, true, false],
      ['fast', 'b', 2, 3, false, true],
      ['fast', 'c', 0, 3, false, false],
      ['slow', 'a', 2, 2, true, false],
    ]);
    expect(summary.rows[1]!.passRate).toBeCloseTo(2 / 3, 5);
    expect(summary.rows[1]!.interval).toEqual(wilsonInterval(2, 3));
    expect(summary.flaky.map((row) => row.rowId)).toEqual(['b']);
  });

  it('per target: rows, runs, pass^k share and flaky count', () => {
    const [fast, slow] = summarizeRepeats(outcomes).targets;
    expect(fast).toEqual({
      target: 'fast',
      rows: 3,
      runs: 9,
      passes: 5,
      passRate: 0.555556,
      k: { min: 3, max: 3 },
      passHatK: 0.333333,
      allPassedRows: 1,
      flakyRows: 1,
      failingRows: 1,
    });
    expect(slow).toMatchObject({ rows: 1, passHatK: 1, k: { min: 2, max: 2 } });
  });

  it('row ids that look alike across targets stay apart', () => {
    const summary = summarizeRepeats([
      { rowId: 'x|y', target: 'z', pass: true },
      { rowId: 'x', target: 'y|z', pass: false },
    ]);
    expect(summary.rows).toHaveLength(2);
  });

  it('an empty input gives an empty summary', () => {
    expect(summarizeRepeats([])).toEqual({ rows: [], targets: [], flaky: [] });
  });
});

describe('RepeatTracker', () => {
  const judged = (rowId: string, pass: boolean, target = 't') => ({
    rowId,
    target,
    outcome: pass ? ('ok' as const) : ('assertion_failed' as const),
    checks: { pass, score: pass ? 1 : 0, results: [] },
  });

  it('counts judged answers only: unchecked answers and errors are no runs of their row', () => {
    const tracker = new RepeatTracker();
    tracker.add(judged('a', true));
    tracker.add({ rowId: 'a', target: 't', outcome: 'http_5xx' });
    tracker.add({ rowId: 'plain', target: 't', outcome: 'ok' });
    tracker.add(judged('a', false));
    const [t] = tracker.targets();
    expect(t).toMatchObject({ rows: 1, runs: 2, passes: 1, flakyRows: 1, k: { min: 2, max: 2 } });
  });

  it('lists the flaky rows first, then the failing ones, bounded, with a count of the rest', () => {
    const tracker = new RepeatTracker();
    for (let i = 0; i < 5; i++) for (const pass of [true, true, true]) tracker.add(judged(`good${i}`, pass));
    for (let i = 0; i < 3; i++)
      for (const pass of [false, false, false]) tracker.add(judged(`bad${i}`, pass));
    for (let i = 0; i < 4; i++)
      for (const pass of [true, false, true]) tracker.add(judged(`flaky${i}`, pass));
    const report = tracker.report(3, 5);
    expect(report.k).toBe(3);
    expect(report.rows.map((r) => r.rowId)).toEqual(['flaky0', 'flaky1', 'flaky2', 'flaky3', 'bad0']);
    expect(report.rowsNotListed).toBe(2);
    expect(report.rows[0]).toMatchObject({ runs: 3, passes: 2, flaky: true, interval: wilsonInterval(2, 3) });
    expect(report.targets[0]).toMatchObject({
      rows: 12,
      runs: 36,
      allPassedRows: 5,
      flakyRows: 4,
      failingRows: 3,
      passHatK: 0.416667,
    });
  });

  it('keeps the listing bounded however many rows there are', () => {
    const tracker = new RepeatTracker();
    for (let i = 0; i < 5000; i++) {
      tracker.add(judged(`r${i}`, true));
      tracker.add(judged(`r${i}`, false));
    }
    const report = tracker.report(2);
    expect(report.rows).toHaveLength(200);
    expect(report.rowsNotListed).toBe(4800);
    expect(report.targets[0]?.flakyRows).toBe(5000);
  });
});
