import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoney, formatMs, formatPercent, formatRate } from '../../src/report/format.js';

describe('plain-text number formatting', () => {
  it('gives milliseconds sensible precision for their size', () => {
    expect(formatMs(0)).toBe('0');
    expect(formatMs(0.1234)).toBe('0.123');
    expect(formatMs(4.567)).toBe('4.57');
    expect(formatMs(78.94)).toBe('78.9');
    expect(formatMs(12_345.6)).toBe('12,346');
    expect(formatMs(null)).toBe('-');
    expect(formatMs(Number.NaN)).toBe('-');
  });

  it('formats spans, rates, percentages and money', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(7_380_000)).toBe('2h 03m');
    expect(formatRate(null)).toBe('-');
    expect(formatRate(1234.56)).toBe('1,234.6');
    expect(formatPercent(0.975)).toBe('97.5%');
    expect(formatPercent(null)).toBe('-');
    expect(formatMoney(0.01234)).toBe('0.0123');
    expect(formatMoney(1234.5)).toBe('1,234.50');
  });
});
