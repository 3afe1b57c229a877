/** Number formatting for plain-text output. Fixed `en-US` so output never depends on the machine's locale. */

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const FORMATS = [grouped(0), grouped(1), grouped(2), grouped(3)] as const;

/** Whole numbers with thousands separators: 12,345. */
export function formatInt(value: number): string {
  return FORMATS[0].format(Math.round(value));
}

/** A number with `digits` decimals (0–3) and thousands separators. */
export function formatFixed(value: number, digits: 0 | 1 | 2 | 3): string {
  return FORMATS[digits].format(value);
}

/**
 * Milliseconds with as many decimals as are worth reading: 0.123, 4.56, 78.9, 1,234.
 * Null (no data) prints as a dash.
 */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const abs = Math.abs(ms);
  if (abs === 0) return '0';
  if (abs < 1) return formatFixed(ms, 3);
  if (abs < 10) return formatFixed(ms, 2);
  if (abs < 1000) return formatFixed(ms, 1);
  return formatFixed(ms, 0);
}

/** A wall-clock span: 850 ms, 12.3 s, 4m 05s, 2h 03m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A rate or other optional number with one decimal; dash when unknown. */
export function formatRate(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '-' : formatFixed(value, 1);
}

/** 0.975 → 97.5%; dash when unknown. */
export function formatPercent(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? '-' : `${formatFixed(ratio * 100, 1)}%`;
}

/** Money: 4 decimals below 1 (LLM runs are often fractions of a yuan), 2 above. */
export function formatMoney(amount: number): string {
  return Math.abs(amount) < 1 ? amount.toFixed(4) : formatFixed(amount, 2);
}
