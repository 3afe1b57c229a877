import { describe, expect, it } from 'vitest';
import { buildAnswer } from '../../src/capacity/answer.js';
import { formatCurve } from '../../src/capacity/format.js';
import { CapacitySearch, defaultSearchOptions } from '../../src/capacity/search.js';
import { concurrencyLimitedServer, drive, measurement, requestRateLimitedServer } from './synthetic.js';

describe('formatCurve', () => {
  it('prints one aligned row per step, sorted by load, marking the sustainable one', () => {
    const search = new CapacitySearch(defaultSearchOptions('concurrency'));
    const loads = drive(search, concurrencyLimitedServer(48));
    const lines = formatCurve(search.answer()).split('\n');
    expect(lines).toHaveLength(loads.length + 1);
    expect(lines[0]).toMatch(
      /^concurrency\s+req\/s\s+out tok\/s\s+429 %\s+err %\s+ttft p50\s+p95\s+p99\s+e2e p50/,
    );
    const firstColumn = lines.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(firstColumn).toEqual([...loads].sort((a, b) => a - b));
    // Right-aligned numbers: every row's req/s column ends where the header's does.
    const end = (lines[0] ?? '').indexOf('req/s') + 'req/s'.length;
    for (const line of lines.slice(1)) expect(line[end - 1]).toMatch(/\d/);
    const row48 = lines.find((l) => l.trimStart().startsWith('48 '));
    expect(row48).toContain('48.0');
    expect(row48).toContain('9,600'); // 48 req/s × 200 output tokens
    expect(row48).toContain('good ← sustainable');
    const row49 = lines.find((l) => l.trimStart().startsWith('49 '));
    expect(row49).toContain('rate_limited');
    expect(row49).toMatch(/\d+\.\d%/);
    expect(lines.join('\n')).not.toMatch(/NaN|undefined|null/);
  });

  it('labels the rate dimension and prints fractional loads', () => {
    const search = new CapacitySearch(defaultSearchOptions('rate', { start: 1, max: 64 }));
    drive(search, requestRateLimitedServer(20, 1));
    const table = formatCurve(search.answer());
    expect(table.split('\n')[0]).toMatch(/^rate req\/s/);
    expect(table).toMatch(/^\s*20\.5\s/m);
  });

  it('prints missing percentiles as dashes and an empty curve as a note', () => {
    const step = measurement({ load: 2, requests: 10, e2eP50Ms: 100 });
    step.latencyMs.ttft = { p50: null, p95: null, p99: null };
    const table = formatCurve(
      buildAnswer('concurrency', [{ ...step, verdict: { ok: true, kind: 'good', reason: '' } }], ''),
    );
    expect(table.split('\n')[1]).toMatch(/\s-\s+-\s+-\s/);
    expect(formatCurve(buildAnswer('concurrency', [], ''))).toContain('(no steps measured)');
  });
});
