import { UserError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `30s`, `500ms`, `2m`, `1h30m`, or a bare number of seconds → milliseconds. Used for every
 * time flag so they all read alike (k6 and vegeta use the same spelling).
 */
export function parseDuration(text: string | number, flag: string): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0)
      throw new UserError(`${flag} must be a duration ≥ 0 such as 30s (got ${text})`);
    return text * 1000;
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new UserError(`${flag} must be a duration such as 500ms, 30s, 2m or 1h30m (got "${text}")`);
  }
  return parts.reduce((total, p) => total + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
}
