import { ExitCode } from '../exit-codes.js';

/**
 * First SIGINT/SIGTERM: stop dispatching, let in-flight requests finish, write everything.
 * A second one exits at once (the results written so far stay on disk).
 */
export function onStopSignals(): { stop: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\n${signal}: no new requests; waiting for those in flight (again to quit now)\n`);
      controller.abort(signal);
      return;
    }
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
