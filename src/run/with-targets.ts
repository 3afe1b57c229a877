import { startMockServer } from '../mock/server.js';
import type { TargetSetup } from '../plan/run-config.js';
import { resolveTargets } from '../plan/targets.js';
import type { Target } from '../plan/types.js';

/**
 * Resolves the targets (starting the in-process mock first when asked), runs `fn` with them, and
 * always stops the mock afterwards.
 */
export async function withTargets<T>(setup: TargetSetup, fn: (targets: Target[]) => Promise<T>): Promise<T> {
  const mock = setup.mock
    ? await startMockServer(typeof setup.mock === 'object' ? setup.mock : {})
    : undefined;
  try {
    const targets = resolveTargets({
      ...(setup.config ? { config: setup.config } : {}),
      flags: setup.flags,
      env: setup.env,
      ...(mock ? { mockBaseUrl: mock.url } : {}),
    });
    return await fn(targets);
  } finally {
    await mock?.close();
  }
}
