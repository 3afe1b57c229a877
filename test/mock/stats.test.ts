import { expect, test } from 'vitest';
import { type MockRequestRecord, MockStatsRecorder } from '../../src/mock/stats.js';

const record = (n: number): MockRequestRecord => ({
  traceId: `t${n}`,
  model: 'm',
  stream: true,
  status: 200,
  receivedAt: n,
  headersAt: n,
  endAt: n + 1,
  promptTokens: 1,
  completionTokens: 2,
  reasoningTokens: 0,
});

test('the ring keeps the newest records in arrival order', () => {
  const stats = new MockStatsRecorder(3);
  for (let n = 0; n < 7; n++) stats.addRecord(record(n));
  expect(stats.records.map((r) => r.traceId)).toEqual(['t4', 't5', 't6']);
});

test('in-flight counting, max, status counts and reset', () => {
  const stats = new MockStatsRecorder(10);
  stats.requestStarted();
  stats.requestStarted();
  stats.requestEnded(200);
  stats.requestStarted();
  stats.requestEnded(429);
  expect(stats.snapshot()).toMatchObject({
    requests: 3,
    inFlight: 1,
    maxInFlight: 2,
    byStatus: { '200': 1, '429': 1 },
  });
  stats.addRecord(record(1));
  stats.countRateLimited('rpm');
  stats.countFault('stall');
  expect(stats.snapshot().rateLimited.rpm).toBe(1);
  expect(stats.snapshot().faults.stall).toBe(1);
  stats.reset();
  expect(stats.snapshot()).toEqual({
    requests: 0,
    byStatus: {},
    inFlight: 1,
    maxInFlight: 1,
    rateLimited: { concurrency: 0, rpm: 0, tpm: 0 },
    faults: {
      error500: 0,
      error503: 0,
      stall: 0,
      midStreamError: 0,
      abruptClose: 0,
      balance402: 0,
      moderation451: 0,
      cap503: 0,
      capCut: 0,
    },
    records: [],
  });
  stats.requestEnded(200);
  expect(stats.inFlight).toBe(0);
});

test('maxRecords 0 keeps no records but still counts', () => {
  const stats = new MockStatsRecorder(0);
  stats.addRecord(record(1));
  stats.requestStarted();
  expect(stats.records).toEqual([]);
  expect(stats.requests).toBe(1);
});

test('snapshots copy the counters, so a later count does not change an earlier snapshot', () => {
  const stats = new MockStatsRecorder(10);
  stats.countFault('error500');
  const before = stats.snapshot();
  stats.countFault('error500');
  stats.countRateLimited('tpm');
  expect(before.faults.error500).toBe(1);
  expect(before.rateLimited.tpm).toBe(0);
  expect(stats.snapshot().faults.error500).toBe(2);
});

test('a server’s stats carry the limits in force at each snapshot', () => {
  let rpm: number | null = 600;
  const limits = () => ({
    shape: 'token-bucket' as const,
    concurrency: 8,
    rpm,
    tpm: null,
    rpmBurst: 10,
    tpmBurst: null,
  });
  const stats = new MockStatsRecorder(10, limits);
  expect(stats.snapshot().limits).toEqual(limits());
  rpm = 300;
  expect(stats.snapshot().limits?.rpm).toBe(300);
  expect(stats.limits?.shape).toBe('token-bucket');
  expect(new MockStatsRecorder(10).snapshot()).not.toHaveProperty('limits');
});
