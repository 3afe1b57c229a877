/** Every process exit code stepbench uses, in one place (DESIGN §7). */
export const ExitCode = {
  ok: 0,
  /** Assertions, gates or the baseline comparison failed (also a run `--abort-on-gate` stopped because a gate could no longer pass). */
  failed: 1,
  /** Bad command line, config or dataset. */
  usage: 2,
  /** The run was stopped early: bad key, no balance, error budget spent. */
  aborted: 3,
  /** A bug in stepbench (not the user's input): printed with its stack. */
  internal: 70,
  /** SIGINT / SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
