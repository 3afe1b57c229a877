import { startMockServer } from '../mock/server.js';
import type { TargetSetup } from '../plan/run-config.js';
import { resolveGrader, resolveTargets } from '../plan/targets.js';
import type { Target } from '../plan/types.js';

/**
 * Resolves the targets and the grader (starting the in-process mock first when asked, so both
 * point at it), runs `fn` with them, and always stops the mock afterwards.
 */
export async function withTargets<T>(
  setup: TargetSetup,
  fn: (targets: Target[], grader: Target | undefined) => Promise<T>,
): Promise<T> {
  // Nothing reads the in-process mock's per-request records (its /_stats is for a separate mock
  // process): keeping its default 100,000 of them would add some 60 MB to a long run's memory.
  const mock = setup.mock
    ? await startMockServer({ maxRecords: 0, ...(typeof setup.mock === 'object' ? setup.mock : {}) })
    : undefined;
  try {
    const options = {
      ...(setup.config ? { config: setup.config } : {}),
      flags: setup.flags,
      env: setup.env,
      ...(mock ? { mockBaseUrl: mock.url } : {}),
    };
    return await fn(resolveTargets(options), resolveGrader(options));
  } finally {
    await mock?.close();
  }
}
