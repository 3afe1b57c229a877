/** Types for load-stats.mjs, so TypeScript tests can import it under strict mode. */
export interface ArrivalRecord {
  status: number;
  receivedAt: number;
  endAt: number;
}
export function arrivalRate(records: readonly ArrivalRecord[]): {
  requests: number;
  spanMs: number;
  perSecond: number;
};
export function gapDeviation(
  records: readonly ArrivalRecord[],
  ratePerSecond: number,
): { idealGapMs: number; p50: number; p99: number; max: number };
export function serverE2e(records: readonly ArrivalRecord[]): {
  count: number;
  mean: number;
  p50: number;
  p99: number;
};
export interface CapacityExpectation {
  quotaPerWindow: number;
  rate: number;
  concurrency: number;
  requestsPerSlotPerStep: number;
  steadyConcurrency: number;
  bindingLimit: 'rpm' | 'concurrency';
}
export function expectedCapacity(limits: {
  rpm: number;
  windowMs: number;
  maxConcurrency?: number;
  cycleMs: number;
  stepMs: number;
}): CapacityExpectation;
export function splitByIdleGaps<R extends ArrivalRecord>(records: readonly R[], gapMs: number): R[][];
export function closedLoopCycleMs(records: readonly ArrivalRecord[], concurrency: number): number;
export function meanInFlight(records: readonly ArrivalRecord[], fromMs: number, toMs: number): number;
export function middleThirdInFlight(records: readonly ArrivalRecord[]): {
  fromMs: number;
  toMs: number;
  mean: number;
};
