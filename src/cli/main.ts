#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { STEPBENCH_VERSION } from '../version.js';
import { capacityCommand } from './capacity.js';
import { mockCommand } from './mock.js';
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
    .command(mockCommand)
    .demandCommand(1, 'Pick a command: run, capacity or mock (stepbench <command> --help for its options)')
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

main().catch((err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`stepbench: ${err.message}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  // Not the user's fault: keep the stack, it is what a bug report needs.
  process.stderr.write(
    `stepbench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = ExitCode.internal;
});
