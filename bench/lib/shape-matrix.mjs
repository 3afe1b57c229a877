/**
 * The `rate-shapes` suite's matrix (issue 9) as plain data: each limit shape's mock flags and the
 * long-run rate it allows, the two reply speeds, and the expansion of settings into one config
 * per shape × Retry-After × reply speed. Pure, so tests can check it without a mock.
 *
 * A shape's `limit` says what the suite measures a client against:
 * - { kind: 'rate', unit, perMinute }: a token bucket; long-run rate perMinute / 60 per second;
 * - { kind: 'window', window: 'fixed' | 'sliding', unit, perMinute }: counted over whole windows;
 * - { kind: 'schedule', unit, steps: [{ atMs, perMinute }] }: a token bucket whose rate moves,
 *   timed from the mock's start;
 * - { kind: 'concurrency', slots }: long-run rate slots ÷ the mean server latency.
 * `unit` is 'requests' (RPM) or 'tokens' (TPM: prompt + completion tokens of admitted requests).
 */

/** Replies of ≈ 50 ms and ≈ 2 s (40 tokens either way, so a TPM limit binds at the same rate). */
export const REPLIES = {
  fast: { label: '50 ms', flags: ['--ttft-ms', '10', '--inter-token-ms', '1', '--reply-tokens', '40'] },
  slow: { label: '2 s', flags: ['--ttft-ms', '400', '--inter-token-ms', '40', '--reply-tokens', '40'] },
};

export const RETRY_AFTER = ['seconds', 'none'];

export const CLIENTS = ['stepbench', 'sdk', 'promptfoo'];

/**
 * The RPM every request shape uses (issue 9: 600/min, a burst of 10), and a TPM that binds at about
 * the same request rate: datasets/capacity.csv averages ≈ 63 prompt tokens (mock estimate) and the
 * replies are 40 tokens, so ≈ 103 tokens a request; 60,000 TPM = 1,000 tokens/s ≈ 9.7 req/s. The TPM
 * burst, one second's worth, is above the largest prompt (282), so every row can pass.
 */
export const LIMITS = { rpm: 600, rpmBurst: 10, tpm: 60_000, tpmBurst: 1_000 };

const rpmFlags = (shape) => ['--limit-shape', shape, '--rpm', String(LIMITS.rpm)];
const bucketFlags = () => [...rpmFlags('token-bucket'), '--rpm-burst', String(LIMITS.rpmBurst)];

/** Each shape: its mock flags (given the settings) and its limit. */
export const SHAPES = {
  'token-bucket': {
    describe: `token-bucket RPM ${LIMITS.rpm}, burst ${LIMITS.rpmBurst}`,
    flags: bucketFlags,
    limit: () => ({ kind: 'rate', unit: 'requests', perMinute: LIMITS.rpm }),
  },
  'fixed-window': {
    describe: `fixed-window RPM ${LIMITS.rpm}`,
    flags: () => rpmFlags('fixed-window'),
    limit: () => ({ kind: 'window', window: 'fixed', unit: 'requests', perMinute: LIMITS.rpm }),
  },
  sliding: {
    describe: `sliding-window RPM ${LIMITS.rpm}`,
    flags: () => rpmFlags('sliding'),
    limit: () => ({ kind: 'window', window: 'sliding', unit: 'requests', perMinute: LIMITS.rpm }),
  },
  'tpm-bucket': {
    describe: `token-bucket TPM ${LIMITS.tpm}, burst ${LIMITS.tpmBurst}`,
    flags: () => [
      '--limit-shape',
      'token-bucket',
      '--tpm',
      String(LIMITS.tpm),
      '--tpm-burst',
      String(LIMITS.tpmBurst),
    ],
    limit: () => ({ kind: 'rate', unit: 'tokens', perMinute: LIMITS.tpm }),
  },
  'concurrency-8': {
    describe: '8 concurrent',
    flags: () => ['--max-concurrency', '8'],
    limit: () => ({ kind: 'concurrency', slots: 8 }),
  },
  'concurrency-32': {
    describe: '32 concurrent',
    flags: () => ['--max-concurrency', '32'],
    limit: () => ({ kind: 'concurrency', slots: 32 }),
  },
  'rpm-halves': {
    describe: `token-bucket RPM ${LIMITS.rpm} that halves and comes back`,
    flags: (s) => [...bucketFlags(), '--limit-schedule', scheduleFlag(s.schedule)],
    limit: (s) => ({
      kind: 'schedule',
      unit: 'requests',
      steps: s.schedule.map(([atMs, perMinute]) => ({ atMs, perMinute })),
    }),
  },
};

/** [[0, 600], [10000, 300]] → "0s:600,10s:300" (ms where a time is not whole seconds). */
export function scheduleFlag(schedule) {
  return schedule
    .map(([atMs, perMinute]) => `${atMs % 1000 === 0 ? `${atMs / 1000}s` : `${atMs}ms`}:${perMinute}`)
    .join(',');
}

function pick(kind, asked, known) {
  const unknown = asked.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`rate-shapes: unknown ${kind} ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return asked;
}

/**
 * One config per shape × Retry-After × reply speed, in that order, each with its mock flags,
 * limit, rows and the clients to run (with the reason for any left out).
 */
export function expandMatrix(s) {
  const shapes = pick('shape', s.shapes, Object.keys(SHAPES));
  const retryAfters = pick('retryAfter', s.retryAfter, RETRY_AFTER);
  const replies = pick('reply', s.replies, Object.keys(REPLIES));
  const clients = pick('client', s.clients, CLIENTS);
  const configs = [];
  for (const shape of shapes)
    for (const retryAfter of retryAfters)
      for (const reply of replies) {
        const rows = s.rows[shape]?.[reply];
        if (!Number.isInteger(rows) || rows < 1)
          throw new Error(`rate-shapes: settings.rows.${shape}.${reply} must be an integer >= 1`);
        const skipped = [];
        const runs = clients.filter((client) => {
          if (client !== 'promptfoo' || retryAfter !== 'none' || s.promptfooWithoutRetryAfter) return true;
          skipped.push({ client, reason: PROMPTFOO_NONE_REASON });
          return false;
        });
        configs.push({
          id: `${shape}/${retryAfter === 'none' ? 'no-RA' : 'RA'}/${reply}`,
          shape,
          retryAfter,
          reply,
          rows,
          limit: SHAPES[shape].limit(s),
          mockFlags: [
            ...REPLIES[reply].flags,
            ...SHAPES[shape].flags(s),
            '--rate-window-ms',
            String(s.rateWindowMs),
            '--retry-after',
            retryAfter,
          ],
          clients: runs,
          skipped,
        });
      }
  return configs;
}

export const PROMPTFOO_NONE_REASON =
  'promptfoo blocks its key for 60 s after a 429 without Retry-After (60 rows took 183 s in a probe); ' +
  'set promptfooWithoutRetryAfter to run it';
