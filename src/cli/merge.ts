import type { CommandModule } from 'yargs';
import { mergeShards } from '../merge/merge-shards.js';
import { formatSummary } from '../report/console.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  resultsGzip?: boolean;
}

/** `stepbench merge DIR… --out DIR`: a thin shell over merge/merge-shards.ts. */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe:
    'Combine the folders of a --shard run into one run: results once each on one timeline, every report rebuilt (histograms exact)',
  builder: (y) =>
    y
      .positional('dirs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Every shard’s folder',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'The merged run’s folder (new)',
      })
      .option('results-gzip', { type: 'boolean', describe: 'Write the merged results.jsonl.gz' })
      .example(
        '$0 merge results/shard-* --out results/merged',
        'After a Kubernetes Indexed Job or a CI matrix',
      ),
  handler: async (argv) => {
    const outcome = await mergeShards(argv.dirs, {
      out: argv.out,
      ...(argv.resultsGzip ? { resultsGzip: true } : {}),
    });
    process.stdout.write(`${formatSummary(outcome.report)}\n`);
    const m = outcome.report.merged;
    process.stdout.write(
      `merged ${m?.count} shards: ${m?.shards.map((s) => `${s.index} (${s.results} results)`).join(', ')}\n` +
        `results: ${outcome.resultsPath}\nreport:  ${outcome.reportPath}\nsummary: ${outcome.summaryPath}\njunit:   ${outcome.junitPath}\nhtml:    ${outcome.htmlPath}\n`,
    );
    process.exitCode = outcome.exitCode;
  },
};
