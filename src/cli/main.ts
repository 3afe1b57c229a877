#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_API_KEY_ENV } from '../plan/defaults.js';
import { redactText } from '../redact.js';
import { STEPBENCH_VERSION } from '../version.js';
import { capacityCommand } from './capacity.js';
import { compareCommand } from './compare.js';
import { mergeCommand } from './merge.js';
import { mockCommand } from './mock.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

/** The command line: yargs wiring only; every command is a thin shell over the library. */
async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('stepbench')
    .usage(
      '$0 <command> [options]\n\nBenchmark and regression-test StepFun and other OpenAI-compatible chat APIs.',
    )
    .command(runCommand)
    .command(capacityCommand)
    .command(compareCommand)
    .command(reportCommand)
    .command(mergeCommand)
    .command(mockCommand)
    .demandCommand(
      1,
      'Pick a command: run, capacity, compare, report, merge or mock (stepbench <command> --help for its options)',
    )
    .strict()
    .version(STEPBENCH_VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(`${msg}\nRun stepbench --help for usage.`);
    })
    .parseAsync();
}

/** The values of the key variables this command line uses: the default one and `--api-key-env`'s. */
function apiKeys(argv: readonly string[]): (string | undefined)[] {
  const names = [DEFAULT_API_KEY_ENV];
  argv.forEach((arg, i) => {
    if (arg === '--api-key-env') names.push(argv[i + 1] ?? '');
    else if (arg.startsWith('--api-key-env=')) names.push(arg.slice('--api-key-env='.length));
  });
  return names.map((name) => process.env[name]);
}

// The console's last line of defence: a message that quotes a flag, a URL or a server's words
// still loses the keys, URL credentials and bearer tokens before it is printed.
const shown = (text: string): string => redactText(text, apiKeys(process.argv));

main().catch((err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`stepbench: ${shown(err.message)}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  // Not the user's fault: keep the stack, it is what a bug report needs.
  process.stderr.write(
    `stepbench: internal error: ${shown(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
  );
  process.exitCode = ExitCode.internal;
});
