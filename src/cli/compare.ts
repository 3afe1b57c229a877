import type { CommandModule } from 'yargs';
import { compareFinishedRuns, writeComparison } from '../compare/compare-command.js';
import { baselineLines } from '../report/console-baseline.js';
import { baselineMarkdown } from '../report/summary-md.js';
import { alphaFlag } from './parse-flags.js';

interface CompareArgs {
  baseline: string;
  current: string;
  maxRegression?: string[];
  alpha?: string;
  json?: boolean;
  out?: string;
}

/** `stepbench compare A B`: a thin shell over compare/compare-command.ts. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <current>',
  describe:
    'Compare two finished runs: per-row flips and metric deltas with significance tests; exit 1 on a regression',
  builder: (y) =>
    y
      .positional('baseline', {
        type: 'string',
        demandOption: true,
        describe: 'The earlier run: its folder or report.json',
      })
      .positional('current', {
        type: 'string',
        demandOption: true,
        describe: 'The run to judge: its folder or report.json',
      })
      .option('max-regression', {
        type: 'string',
        array: true,
        describe:
          "How much worse a figure may get: 'ttft.p95:+20%', 'e2e.p50:+150ms', 'pass_rate:-0.05', 'model:error_rate:+0.01' (repeatable; default in docs/baseline.md)",
      })
      .option('alpha', { type: 'string', describe: 'Significance level (default 0.05)' })
      .option('json', { type: 'boolean', describe: 'Print the comparison as JSON instead of text' })
      .option('out', { type: 'string', describe: 'Also write compare.json and compare.md into this folder' })
      .example('stepbench compare reports/main reports/pr-42', 'Did the pull request make anything worse?')
      .example(
        "stepbench compare base/report.json now/ --max-regression 'ttft.p95:+10%' --max-regression 'pass_rate:-0.02'",
        'Own thresholds (they replace the defaults)',
      ),
  handler: async (argv) => {
    const alpha = alphaFlag(argv.alpha);
    const { comparison, exitCode } = await compareFinishedRuns(argv.baseline, argv.current, {
      ...(argv.maxRegression ? { maxRegression: argv.maxRegression } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
    });
    if (argv.out)
      await writeComparison(argv.out, comparison, `${baselineMarkdown(comparison).join('\n').trim()}\n`);
    if (argv.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    else process.stdout.write(`${baselineLines(comparison).join('\n').trim()}\n`);
    process.exitCode = exitCode;
  },
};
