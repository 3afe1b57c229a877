import type { Job } from '../../src/plan/types.js';

/** Minimal jobs: schedulers only pass them through, so index and key are all a test needs. */
export async function* fakeJobs(n: number, onPull?: (index: number) => void): AsyncGenerator<Job> {
  for (let i = 0; i < n; i++) {
    onPull?.(i);
    yield { index: i, key: String(i) } as Job;
  }
}

/** The p-th percentile (0–100) of some numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
