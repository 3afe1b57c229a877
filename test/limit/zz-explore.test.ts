import { it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { simulate } from './simulated-server.js';
for (const retryAfter of [true, false]) for (const rpmKnown of [false, true]) for (const lat of [[500,1500],[1500,2500],[2000,4000]] as [number,number][])
it(`sim ra=${retryAfter} rpm=${rpmKnown} lat=${lat}`, async () => {
  const clock = new FakeClock();
  const r = await simulate(clock, { concurrency: 32, rpm: 600, latencyMs: lat, rejectMs: 20, sendRetryAfter: retryAfter },
    { maxConcurrency: 64, adaptive: true, ...(rpmKnown && { rpm: 600 }) }, { workers: 64, durationMs: 600_000, measureFromMs: 180_000, seed: 1 });
  console.log(`ra=${retryAfter} rpm=${rpmKnown} lat=${lat}`, r.steadyRpm.toFixed(0), (r.rateLimitedShare*100).toFixed(2)+'%', 'attempts', r.server.attempts, 'limits', r.limits.slice(0,30).join(','));
});
