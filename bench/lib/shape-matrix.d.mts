/** Types for shape-matrix.mjs, so TypeScript tests can import it under strict mode. */
import type { ShapeLimit } from './shape-stats.mjs';

export interface MatrixSettings {
  shapes: string[];
  retryAfter: string[];
  replies: string[];
  clients: string[];
  rateWindowMs: number;
  schedule: [number, number][];
  rows: Record<string, Record<string, number>>;
  promptfooWithoutRetryAfter: boolean;
}
export interface MatrixConfig {
  id: string;
  shape: string;
  retryAfter: string;
  reply: string;
  rows: number;
  limit: ShapeLimit;
  mockFlags: string[];
  clients: string[];
  skipped: { client: string; reason: string }[];
}
export const REPLIES: Record<string, { label: string; flags: string[] }>;
export const RETRY_AFTER: string[];
export const CLIENTS: string[];
export const LIMITS: { rpm: number; rpmBurst: number; tpm: number; tpmBurst: number };
export const SHAPES: Record<
  string,
  { describe: string; flags: (s: MatrixSettings) => string[]; limit: (s: MatrixSettings) => ShapeLimit }
>;
export const PROMPTFOO_NONE_REASON: string;
export function scheduleFlag(schedule: readonly (readonly [number, number])[]): string;
export function expandMatrix(settings: MatrixSettings): MatrixConfig[];
