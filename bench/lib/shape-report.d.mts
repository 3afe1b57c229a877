/** Types for shape-report.mjs, so TypeScript tests can import it under strict mode. */
import type { Column } from './table.mjs';

export interface ShapeRow {
  config: string;
  shape: string;
  client: string;
  round: number;
  rows: number;
  rowsLost: number;
  error: string | null;
  attempts: number;
  rateLimited: number;
  rateLimitedShare: number;
  mockRequests: number;
  attemptsRecorded: number | null;
  ratio: number;
  perSecond: number;
  limitPerSecond: number;
  fallback: boolean;
  interval: { fromMs: number; toMs: number; spanMs: number; windows: number | null; enough: boolean };
  episode: { startMs: number; endMs: number } | null;
  clientWallMs: number | null;
}
export interface Check {
  target: string;
  measured: string;
  /** null: not judged (SKIPPED). */
  pass: boolean | null;
}
export interface ClientSummary {
  client: string;
  runs: number;
  rowsLost: number;
  rows: number;
  noLoss: string;
  under5: string;
  throughput: string;
  recorded: string;
  medianRatio: number;
  medianShare: number;
}
export const TARGETS: { throughputRatio: number; rateLimitedShare: number; rowsLost: number };
export const MATRIX_COLUMNS: Column<ShapeRow>[];
export const SUMMARY_COLUMNS: Column<ClientSummary>[];
export function intervalCell(r: ShapeRow): string;
export function recordedCell(r: ShapeRow): string;
export function checksFor(r: ShapeRow): Check[];
export function summarize(rows: readonly ShapeRow[]): ClientSummary[];
export function median(values: readonly number[]): number;
