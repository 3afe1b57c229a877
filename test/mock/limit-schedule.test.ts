import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseLimitSchedule, ScheduleCursor } from '../../src/mock/limit-schedule.js';

describe('parseLimitSchedule', () => {
  test('bare values are RPM; NAME=VALUE sets another limit; off lifts one', () => {
    expect(parseLimitSchedule('0s:600, 30s:300,1m:rpm=600,1m30s:tpm=90000,2m:concurrency=off', 'x')).toEqual([
      { atMs: 0, change: { rpm: 600 } },
      { atMs: 30_000, change: { rpm: 300 } },
      { atMs: 60_000, change: { rpm: 600 } },
      { atMs: 90_000, change: { tpm: 90_000 } },
      { atMs: 120_000, change: { concurrency: null } },
    ]);
    expect(parseLimitSchedule('500ms:10,2:none', 'x')).toEqual([
      { atMs: 500, change: { rpm: 10 } },
      { atMs: 2_000, change: { rpm: null } },
    ]);
  });

  test.each([
    ['', /--limit-schedule is empty/],
    ['0s:600,30s', /the 2nd entry "30s" has no ":"/],
    ['0s:600,30x:300', /the 2nd entry "30x:300" has a bad time/],
    ['0s:600,30s:0', /the 2nd entry "30s:0" has a value that is not an integer >= 1/],
    ['0s:1.5', /the 1st entry "0s:1.5" has a value/],
    ['0s:rps=5', /the 1st entry "0s:rps=5" sets "rps", which is none of rpm, tpm, concurrency/],
    ['0s:600,30s:300,20s:600', /the 3rd entry "20s:600" comes before the entry ahead of it/],
  ])('%j is refused, naming the entry', (text, message) => {
    const parse = () => parseLimitSchedule(text, '--limit-schedule');
    expect(parse).toThrow(UserError);
    expect(parse).toThrow(message);
  });
});

describe('ScheduleCursor', () => {
  test('hands out each step once, when due, with the time it was due', () => {
    const cursor = new ScheduleCursor(parseLimitSchedule('0s:600,30s:300,30s:tpm=5,60s:600', 'x'), 1_000);
    expect(cursor.due(999)).toEqual([]);
    expect(cursor.due(1_000)).toEqual([{ at: 1_000, change: { rpm: 600 } }]);
    expect(cursor.due(30_999)).toEqual([]);
    expect(cursor.due(45_000)).toEqual([
      { at: 31_000, change: { rpm: 300 } },
      { at: 31_000, change: { tpm: 5 } },
    ]);
    expect(cursor.due(1e9)).toEqual([{ at: 61_000, change: { rpm: 600 } }]);
    expect(cursor.due(2e9)).toEqual([]);
  });
});
