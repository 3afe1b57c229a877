import type { CommandModule } from 'yargs';
import { rebuildReports } from '../rebuild/rebuild.js';
import { formatSummary } from '../report/console.js';
import { alphaFlag } from './parse-flags.js';

interface ReportArgs {
  dir: string;
  baseline?: string;
  maxRegression?: string[];
  alpha?: string;
  out?: string;
}

/** `stepbench report DIR`: a thin shell over rebuild/rebuild.ts. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe:
    "Rebuild a run's report.json, summary.md and junit.xml from its results.jsonl (killed, resumed or older runs); --baseline works here too",
  builder: (y) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'The run’s folder (it holds results.jsonl and run.json)',
      })
      .option('baseline', {
        type: 'string',
        describe:
          'An earlier run (its folder or report.json) to compare with: per-row flips, metric deltas with significance; a significant regression exits 1',
      })
      .option('max-regression', {
        type: 'string',
        array: true,
        describe:
          "How much worse a figure may get against --baseline: 'ttft.p95:+20%', 'pass_rate:-0.05' (repeatable; default in docs/baseline.md)",
      })
      .option('alpha', {
        type: 'string',
        describe: 'Significance level of the baseline comparison (default 0.05)',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe: 'Write the outputs into this folder instead of the run’s own',
      })
      .example('$0 report reports/2026-11-25_10-00-00', 'Every output again, in place, from results.jsonl')
      .example(
        '$0 report reports/pr-42 --baseline reports/main',
        'Compare a finished run with a baseline afterwards',
      )
      .example('$0 report reports/old --out reports/old-rebuilt', 'Leave the run’s own files as they are'),
  handler: async (argv) => {
    const alpha = alphaFlag(argv.alpha);
    const outcome = await rebuildReports(argv.dir, {
      ...(argv.baseline !== undefined ? { baseline: argv.baseline } : {}),
      ...(argv.maxRegression ? { maxRegression: argv.maxRegression } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
      ...(argv.out !== undefined ? { out: argv.out } : {}),
    });
    const { rebuilt } = outcome.report;
    process.stdout.write(`${formatSummary(outcome.report)}\n`);
    if (rebuilt?.tornLine !== undefined)
      process.stderr.write(
        `${outcome.resultsPath}:${rebuilt.tornLine}: cut-off last line (a killed run) left out\n`,
      );
    process.stdout.write(
      `rebuilt from ${rebuilt?.from.join(' and ')}; not in the results: ${rebuilt?.missing.join(', ')}\n` +
        `report:  ${outcome.reportPath}\nsummary: ${outcome.summaryPath}\njunit:   ${outcome.junitPath}\nhtml:    ${outcome.htmlPath}\n`,
    );
    process.exitCode = outcome.exitCode;
  },
};
