import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProcess, startMockProcess } from '../../bench/lib/mock-process.mjs';
import { warmUpMock } from '../../bench/lib/warmup.mjs';

// Runs the BUILT mock (dist/cli/main.js) in its own process, as the bench does.
let mock: MockProcess;
beforeAll(async () => {
  mock = await startMockProcess(['--ttft-ms', '1', '--inter-token-ms', '0', '--reply-tokens', '4']);
});
afterAll(async () => {
  await mock?.stop();
});

describe('startMockProcess', () => {
  it('serves on a loopback port in another process', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(mock.pid).not.toBe(process.pid);
  });

  it('exposes ground truth, and a reset read starts it afresh', async () => {
    await warmUpMock(mock.url, { requests: 6, concurrency: 3 });
    const seen = await mock.stats({ reset: true });
    expect(seen.requests).toBe(6);
    expect(seen.byStatus['200']).toBe(6);
    expect(seen.records).toHaveLength(6);
    for (const r of seen.records) {
      expect(r.firstTokenAt).toBeGreaterThanOrEqual(r.receivedAt);
      expect(r.endAt).toBeGreaterThanOrEqual(r.firstTokenAt ?? Number.POSITIVE_INFINITY);
    }
    const after = await mock.stats();
    expect(after.requests).toBe(0);
    expect(after.records).toHaveLength(0);
  });

  it('reads the mock process CPU time on Linux', async () => {
    const cpu = await mock.cpuMs();
    if (process.platform === 'linux') expect(cpu).toBeGreaterThan(0);
    else expect(cpu).toBeNull();
  });
});
