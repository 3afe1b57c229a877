import { expect } from 'vitest';
import type { JobResult } from '../../src/results/types.js';

/** What the mock recorded per request (`MockRequestRecord`, or the same fields from `/_mock/stats`). */
export interface ServerRecord {
  traceId: string;
  receivedAt: number;
  headersAt: number;
  firstTokenAt?: number;
  lastWriteAt?: number;
  endAt: number;
  promptTokens: number;
  completionTokens: number;
}

/** Clock granularity between two `performance.now()` readings, ms. */
const GRANULARITY_MS = 0.5;

/**
 * The client's measurements against the server's own record of each request, by behaviour only
 * (no bound on how close they are: that is a benchmark figure, `bench/client-overhead.mjs`):
 * - the same requests on both sides, matched by trace id, with the same token counts;
 * - causality: the client sent before the server received and saw each event after the server
 *   wrote it, so every client duration is ≥ the server's (durations, not timestamps: the two
 *   may run on different clocks);
 * - order: ttfb ≤ ttft ≤ ttfa ≤ e2e ≤ latency, and the gaps between text chunks fit between the
 *   first token and the end (a TTFT taken at `[DONE]` would leave no room for them; one taken
 *   at the role chunk would read earlier than the server's first token).
 * Returns how many results were checked against a first token.
 */
export function expectAgreesWithServer(results: JobResult[], records: ServerRecord[]): number {
  const byTrace = new Map(records.map((r) => [r.traceId, r]));
  expect(new Set(results.map((r) => r.traceId)).size, 'one trace id per result').toBe(results.length);
  expect([...byTrace.keys()].sort(), 'the same requests on both sides').toEqual(
    results.map((r) => r.traceId).sort(),
  );
  let streamed = 0;
  for (const r of results) {
    const s = byTrace.get(r.traceId ?? '')!;
    const d = r.durations;
    expect(r.usage).toMatchObject({ promptTokens: s.promptTokens, completionTokens: s.completionTokens });
    expect(d.ttfb!).toBeGreaterThanOrEqual(s.headersAt - s.receivedAt - GRANULARITY_MS);
    // The end can be read no earlier than its last write; the server's `endAt` (the response's
    // close, after the flush) can come after the client has already read it.
    expect(s.lastWriteAt, 'the server wrote the response').toBeDefined();
    expect(d.e2e).toBeGreaterThanOrEqual((s.lastWriteAt as number) - s.receivedAt - GRANULARITY_MS);
    expect(d.e2e).toBeLessThanOrEqual(d.latency);
    expect(d.ttfb!).toBeLessThanOrEqual(d.e2e);
    if (s.firstTokenAt === undefined) continue;
    streamed++;
    expect(d.ttft!).toBeGreaterThanOrEqual(s.firstTokenAt - s.receivedAt - GRANULARITY_MS);
    expect(d.ttfb!).toBeLessThanOrEqual(d.ttft!);
    expect(d.ttft!).toBeLessThanOrEqual(d.ttfa ?? d.ttft!);
    expect(d.ttfa ?? d.ttft!).toBeLessThanOrEqual(d.e2e);
    const gaps = r.itl.reduce((a, b) => a + b, 0);
    expect(gaps).toBeLessThanOrEqual(d.e2e - d.ttft! + 0.01);
  }
  return streamed;
}
