import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/plan/duration.js';

describe('parseDuration', () => {
  it('reads the usual spellings', () => {
    expect(parseDuration('500ms', '--x')).toBe(500);
    expect(parseDuration('30s', '--x')).toBe(30_000);
    expect(parseDuration('2m', '--x')).toBe(120_000);
    expect(parseDuration('1h30m', '--x')).toBe(5_400_000);
    expect(parseDuration('1.5s', '--x')).toBe(1500);
    expect(parseDuration('45', '--x')).toBe(45_000);
    expect(parseDuration(2, '--x')).toBe(2000);
  });

  it('names the flag when the text is not a duration', () => {
    expect(() => parseDuration('10 minutes', '--timeout-total')).toThrow(
      /--timeout-total must be a duration/,
    );
    expect(() => parseDuration('5x', '--grace')).toThrow(/--grace/);
    expect(() => parseDuration(-1, '--grace')).toThrow(/--grace/);
  });
});
