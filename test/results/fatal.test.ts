import { describe, expect, it } from 'vitest';
import { isFatalForRun } from '../../src/results/fatal.js';
import { OUTCOME_CLASSES } from '../../src/results/outcomes.js';

describe('isFatalForRun', () => {
  it('stops the run on 401 with the region hint, and on 402', () => {
    const auth = isFatalForRun({
      outcome: 'http_4xx',
      status: 401,
      error: { message: 'HTTP 401: Incorrect API key provided' },
    });
    expect(auth.fatal).toBe(true);
    if (auth.fatal) {
      expect(auth.message).toContain('401 invalid_api_key');
      expect(auth.message).toContain('https://api.stepfun.ai/v1');
      expect(auth.message).toContain('STEP_API_KEY');
      expect(auth.message).toContain('Incorrect API key provided');
    }
    const balance = isFatalForRun({ outcome: 'http_4xx', status: 402 });
    expect(balance.fatal).toBe(true);
    if (balance.fatal) expect(balance.message).toContain('balance');
  });

  it('lets every other 4xx go on', () => {
    for (const status of [undefined, 400, 403, 404]) {
      expect(isFatalForRun({ outcome: 'http_4xx', status })).toEqual({ fatal: false });
    }
  });

  it('lets every other outcome go on, whatever its status', () => {
    const others = OUTCOME_CLASSES.filter((o) => o !== 'http_4xx');
    for (const outcome of others) {
      for (const status of [undefined, 200, 429, 451, 500]) {
        expect(isFatalForRun({ outcome, status })).toEqual({ fatal: false });
      }
    }
  });
});
