/**
 * A change to the limits in force, from `POST /_mock/limits` or one step of `--limit-schedule`:
 * each key given replaces that limit (null = unlimited; a null burst = the bucket's default), each
 * key left out keeps its value.
 */
export interface LimitChange {
  concurrency?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  rpmBurst?: number | null;
  tpmBurst?: number | null;
}

export const LIMIT_CHANGE_KEYS = ['concurrency', 'rpm', 'tpm', 'rpmBurst', 'tpmBurst'] as const;

export type LimitChangeKey = (typeof LIMIT_CHANGE_KEYS)[number];

const isLimitChangeKey = (key: string): key is LimitChangeKey =>
  (LIMIT_CHANGE_KEYS as readonly string[]).includes(key);

/** Why `value` is not a valid LimitChange, or undefined when it is; `bursts` says whether burst keys apply. */
export function limitChangeProblem(value: unknown, bursts: boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `must be an object with some of ${LIMIT_CHANGE_KEYS.join(', ')}`;
  for (const [key, limit] of Object.entries(value)) {
    if (!isLimitChangeKey(key)) return `has an unknown key "${key}" (known: ${LIMIT_CHANGE_KEYS.join(', ')})`;
    if (limit !== null && !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1))
      return `${key} must be an integer >= 1 or null (got ${JSON.stringify(limit)})`;
    if (!bursts && (key === 'rpmBurst' || key === 'tpmBurst') && limit !== null)
      return `${key} applies only with rateLimitShape 'token-bucket'`;
  }
  return undefined;
}
