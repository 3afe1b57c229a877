import type { MockOptionsInput } from '../mock/options.js';
import { startMockServer } from '../mock/server.js';
import type { ConfigFile } from '../plan/config-file.js';
import { resolveTargets, type TargetFlags } from '../plan/targets.js';
import type { Target } from '../plan/types.js';

export interface TargetSetup {
  config?: ConfigFile;
  flags: TargetFlags;
  env?: Record<string, string | undefined>;
  /** Start the built-in mock in-process and point every target at it. */
  mock?: boolean | MockOptionsInput;
}

/** The target setup of a library call: its flags, env and mock, plus the config file if any. */
export function targetSetup(
  options: TargetFlags & { env?: Record<string, string | undefined>; mock?: boolean | MockOptionsInput },
  config: ConfigFile | undefined,
): TargetSetup {
  return {
    ...(config ? { config } : {}),
    flags: options,
    ...(options.env ? { env: options.env } : {}),
    ...(options.mock ? { mock: options.mock } : {}),
  };
}

/**
 * Resolves the targets (starting the in-process mock first when asked), runs `fn` with them, and
 * always stops the mock afterwards. Shared by `run` and `capacity`.
 */
export async function withTargets<T>(setup: TargetSetup, fn: (targets: Target[]) => Promise<T>): Promise<T> {
  const mock = setup.mock
    ? await startMockServer(typeof setup.mock === 'object' ? setup.mock : {})
    : undefined;
  try {
    const targets = resolveTargets({
      ...(setup.config ? { config: setup.config } : {}),
      flags: setup.flags,
      env: setup.env ?? process.env,
      ...(mock ? { mockBaseUrl: mock.url } : {}),
    });
    return await fn(targets);
  } finally {
    await mock?.close();
  }
}
