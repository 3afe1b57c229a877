import { describe, expect, it } from 'vitest';
import {
  expandMatrix,
  type MatrixSettings,
  PROMPTFOO_NONE_REASON,
  SHAPES,
  scheduleFlag,
} from '../../bench/lib/shape-matrix.mjs';

const rowsFor = (n: number) =>
  Object.fromEntries(Object.keys(SHAPES).map((shape) => [shape, { fast: n, slow: n }]));

const settings = (over: Partial<MatrixSettings> = {}): MatrixSettings => ({
  shapes: Object.keys(SHAPES),
  retryAfter: ['seconds', 'none'],
  replies: ['fast', 'slow'],
  clients: ['stepbench', 'sdk', 'promptfoo'],
  rateWindowMs: 4000,
  schedule: [
    [0, 600],
    [8000, 300],
    [18_000, 600],
  ],
  rows: rowsFor(100),
  promptfooWithoutRetryAfter: false,
  ...over,
});

describe('scheduleFlag', () => {
  it('writes whole seconds as s and the rest as ms', () => {
    expect(
      scheduleFlag([
        [0, 600],
        [8000, 300],
        [18_500, 600],
      ]),
    ).toBe('0s:600,8s:300,18500ms:600');
  });
});

describe('expandMatrix', () => {
  it('has one config per shape × Retry-After × reply, with the mock flags each needs', () => {
    const configs = expandMatrix(settings());
    expect(configs).toHaveLength(7 * 2 * 2);
    expect(new Set(configs.map((c) => c.id)).size).toBe(configs.length);
    for (const c of configs) {
      expect(c.mockFlags).toContain('--rate-window-ms');
      expect(c.mockFlags.slice(-2)).toEqual(['--retry-after', c.retryAfter]);
    }
    const halves = configs.find((c) => c.shape === 'rpm-halves');
    expect(halves?.mockFlags.join(' ')).toContain('--limit-schedule 0s:600,8s:300,18s:600');
    expect(halves?.limit).toEqual({
      kind: 'schedule',
      unit: 'requests',
      steps: [
        { atMs: 0, perMinute: 600 },
        { atMs: 8000, perMinute: 300 },
        { atMs: 18_000, perMinute: 600 },
      ],
    });
    const bucket = configs.find((c) => c.shape === 'token-bucket');
    expect(bucket?.mockFlags.join(' ')).toContain('--limit-shape token-bucket --rpm 600 --rpm-burst 10');
  });

  it('leaves promptfoo out without Retry-After unless asked, and says why', () => {
    const configs = expandMatrix(settings({ shapes: ['token-bucket'], replies: ['fast'] }));
    const [withRa, without] = configs;
    expect(withRa?.clients).toEqual(['stepbench', 'sdk', 'promptfoo']);
    expect(without?.clients).toEqual(['stepbench', 'sdk']);
    expect(without?.skipped).toEqual([{ client: 'promptfoo', reason: PROMPTFOO_NONE_REASON }]);
    const asked = expandMatrix(
      settings({ shapes: ['token-bucket'], replies: ['fast'], promptfooWithoutRetryAfter: true }),
    );
    expect(asked[1]?.clients).toContain('promptfoo');
  });

  it('runs one config alone', () => {
    const configs = expandMatrix(
      settings({ shapes: ['sliding'], retryAfter: ['none'], replies: ['slow'], clients: ['stepbench'] }),
    );
    expect(configs.map((c) => [c.id, c.clients])).toEqual([['sliding/no-RA/slow', ['stepbench']]]);
  });

  it('names what it does not know', () => {
    expect(() => expandMatrix(settings({ shapes: ['leaky'] }))).toThrow(
      /unknown shape leaky; known: token-bucket/,
    );
    expect(() => expandMatrix(settings({ clients: ['k6'] }))).toThrow(/unknown client k6/);
    expect(() => expandMatrix(settings({ rows: {} }))).toThrow(/settings\.rows\.token-bucket\.fast/);
  });
});
