import { describe, expect, it } from 'vitest';
import { checksFor, median, recordedCell, type ShapeRow, summarize } from '../../bench/lib/shape-report.mjs';

const row = (over: Partial<ShapeRow> = {}): ShapeRow => ({
  config: 'token-bucket/RA/fast',
  shape: 'token-bucket',
  client: 'stepbench',
  round: 1,
  rows: 120,
  rowsLost: 0,
  error: null,
  attempts: 122,
  rateLimited: 2,
  rateLimitedShare: 2 / 122,
  mockRequests: 122,
  attemptsRecorded: 122,
  ratio: 0.97,
  perSecond: 9.7,
  limitPerSecond: 10,
  fallback: false,
  interval: { fromMs: 500, toMs: 11_500, spanMs: 11_000, windows: null, enough: true },
  episode: { startMs: 0, endMs: 500 },
  clientWallMs: 12_000,
  ...over,
});

describe('checksFor', () => {
  it('passes a run that meets every issue-9 target', () => {
    const checks = checksFor(row());
    expect(checks).toHaveLength(4);
    expect(checks.every((c) => c.pass)).toBe(true);
    expect(checks[3]?.measured).toBe('122 on rows, 122 at the mock');
  });

  it('fails what is missed, and does not judge throughput over too short a stretch', () => {
    const checks = checksFor(
      row({
        rowsLost: 3,
        rateLimitedShare: 0.2,
        attemptsRecorded: 120,
        interval: { fromMs: 0, toMs: 2000, spanMs: 2000, windows: null, enough: false },
        fallback: true,
      }),
    );
    expect(checks.map((c) => c.pass)).toEqual([false, false, null, false]);
    expect(checks[2]?.measured).toContain('too short to judge');
    expect(checks[2]?.measured).toContain('from the first 429');
  });

  it('asks only stepbench to record its attempts', () => {
    expect(checksFor(row({ client: 'sdk', attemptsRecorded: null }))).toHaveLength(3);
    expect(recordedCell(row({ client: 'sdk', attemptsRecorded: null }))).toBe('–');
    expect(recordedCell(row({ attemptsRecorded: 121 }))).toBe('121 ≠ 122');
  });
});

describe('summarize', () => {
  it('counts the runs that met each target per client', () => {
    const summary = summarize([
      row(),
      row({ rowsLost: 2, ratio: 0.5 }),
      row({ client: 'sdk', attemptsRecorded: null }),
    ]);
    expect(summary).toMatchObject([
      { client: 'stepbench', runs: 2, rowsLost: 2, noLoss: '1/2', throughput: '1/2', recorded: '2/2' },
      { client: 'sdk', runs: 1, recorded: '–' },
    ]);
    expect(summary[0]?.medianRatio).toBeCloseTo((0.97 + 0.5) / 2);
  });

  it('takes the median of finite values', () => {
    expect(median([3, Number.NaN, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });
});
