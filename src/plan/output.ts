/**
 * Where a run writes, decided at the edge. `dir` undefined means "a new folder of its own under
 * reports/", created exclusively when the run starts so two runs never share one.
 */
export interface OutputConfig {
  dir: string | undefined;
  /** Prefix of the folder name when `dir` is undefined: `run-` or `capacity-` style. */
  defaultPrefix: string;
  /** `new`: the folder must hold no earlier run; `overwrite`: an earlier run's files are replaced; `resume`: continue it. */
  mode: 'new' | 'overwrite' | 'resume';
  /** With `resume`: send again the jobs that ended in an error. */
  retryErrors: boolean;
  /** `--results-gzip`: the results file is written gzip-compressed (results.jsonl.gz). */
  resultsGzip: boolean;
  /** Write the machine's host name into the report (off by default: reports get shared). */
  recordHostname: boolean;
}
