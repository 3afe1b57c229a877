/** Types for shape-stats.mjs, so TypeScript tests can import it under strict mode. */
export interface ShapeRecord {
  status: number;
  receivedAt: number;
  endAt: number;
  promptTokens?: number;
  completionTokens?: number;
}
export type Unit = 'requests' | 'tokens';
export type ShapeLimit =
  | { kind: 'rate'; unit: Unit; perMinute: number }
  | { kind: 'window'; window: 'fixed' | 'sliding'; unit: Unit; perMinute: number }
  | { kind: 'schedule'; unit: Unit; steps: { atMs: number; perMinute: number }[] }
  | { kind: 'concurrency'; slots: number };
export interface Episode {
  startAt: number;
  endAt: number;
  count: number;
  laterRefusals: number;
}
export interface Interval {
  from: number;
  to: number;
  windows: number | null;
  spanMs: number;
  enough: boolean;
}
export interface IntervalOptions {
  windowMs: number;
  epochOffsetMs?: number;
  minWindows?: number;
  minSpanMs?: number;
}
export interface Throughput {
  ok: number;
  admitted: number;
  okPerSecond: number;
  perSecond: number;
  limitPerSecond: number;
  ratio: number;
  meanLatencyMs: number | null;
}
export interface ShapeFigures extends Throughput {
  attempts: number;
  rateLimited: number;
  rateLimitedShare: number;
  episode: { startMs: number; endMs: number; count: number; laterRefusals: number } | null;
  interval: { fromMs: number; toMs: number; spanMs: number; windows: number | null; enough: boolean };
  fallback: boolean;
}
export function perWindow(perMinute: number, windowMs: number): number;
export function firstEpisode(records: readonly ShapeRecord[], options?: { gapMs?: number }): Episode | null;
export function amountOf(unit: Unit | undefined): (r: ShapeRecord) => number;
export function nextFixedBoundary(at: number, windowMs: number, epochOffsetMs: number): number;
export function scheduledAmount(
  steps: readonly { atMs: number; perMinute: number }[],
  zeroAt: number,
  from: number,
  to: number,
): number;
export function measureInterval(
  limit: ShapeLimit,
  start: number,
  lastOkAt: number,
  options: IntervalOptions,
): Interval;
export function throughputIn(
  records: readonly ShapeRecord[],
  limit: ShapeLimit,
  interval: Interval,
  options?: { windowMs?: number; scheduleZeroAt?: number },
): Throughput;
export function shapeFigures(
  records: readonly ShapeRecord[],
  limit: ShapeLimit,
  options: IntervalOptions & { gapMs?: number; clock?: { epochOffsetMs: number; scheduleZeroAt: number } },
): ShapeFigures;
