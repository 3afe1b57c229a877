/**
 * First SIGINT/SIGTERM: stop dispatching, give in-flight requests the grace period, write
 * everything. A second one aborts the in-flight requests (recorded as interrupted) and still
 * writes everything. Exit code 130 either way.
 */
export function onStopSignals(): { stop: AbortSignal; abort: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const abort = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      process.stderr.write(
        `\n${signal}: no new requests; waiting for those in flight (again to abort them)\n`,
      );
      stop.abort(signal);
      return;
    }
    if (!abort.signal.aborted) {
      process.stderr.write(`\n${signal}: aborting in-flight requests; writing results and report\n`);
      abort.abort(signal);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: stop.signal,
    abort: abort.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
