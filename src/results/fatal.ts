import { OUTCOMES, type OutcomeClass } from './outcomes.js';

export type RunFatality = { fatal: true; message: string } | { fatal: false };

/**
 * Whether this attempt proves every later request would fail the same way, so the run should
 * stop at once (exit code 3) instead of burning through the dataset: a rejected key or an
 * exhausted balance. Only classes whose row says `fatal: 'by_status'` are looked at further.
 */
export function isFatalForRun(result: {
  outcome: OutcomeClass;
  status?: number;
  error?: { message: string };
}): RunFatality {
  if (OUTCOMES[result.outcome].fatal !== 'by_status') return { fatal: false };
  const said = result.error?.message ? ` Server said: "${result.error.message}".` : '';
  if (result.status === 401) {
    return {
      fatal: true,
      message:
        'the API key was rejected (401 invalid_api_key). StepFun keys are region-bound: a key from ' +
        'platform.stepfun.com works only with https://api.stepfun.com/v1, one from platform.stepfun.ai ' +
        `only with https://api.stepfun.ai/v1. Check STEP_API_KEY (or --api-key-env).${said}`,
    };
  }
  if (result.status === 402) {
    return {
      fatal: true,
      message:
        'the account balance is exhausted (402 quota_exceeded): every further request would fail. ' +
        `Top up the account on the StepFun platform (or use another key) and run again.${said}`,
    };
  }
  return { fatal: false };
}
