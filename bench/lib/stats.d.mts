/** Types for stats.mjs, so TypeScript tests can import it under strict mode. */
export interface TruthRecord {
  traceId: string;
  receivedAt: number;
  firstTokenAt?: number;
  endAt: number;
}
export interface ClientSample {
  traceId?: string;
  ttft?: number;
  e2e?: number;
}
export function mean(values: readonly number[]): number;
export function percentile(values: readonly number[], p: number): number;
export function measurementErrors(
  samples: readonly ClientSample[],
  records: readonly TruthRecord[],
): { matched: number; unmatched: number; ttftAbsErrors: number[]; e2eAbsErrors: number[] };
export function closedLoopThroughput(
  records: readonly TruthRecord[],
  concurrency: number,
): {
  requests: number;
  windowMs: number;
  meanServerE2eMs?: number;
  achievedRps: number;
  idealRps: number;
  ratio: number;
};
