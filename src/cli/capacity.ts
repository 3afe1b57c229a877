import type { Argv, CommandModule } from 'yargs';
import { formatLoad, summarizeAnswer } from '../capacity/answer.js';
import { formatCurve } from '../capacity/format.js';
import { capacity } from '../capacity/run-capacity.js';
import { CAPACITY_SETTING_KEYS } from '../plan/capacity-config.js';
import { flagPath, settingsFromArgs } from './settings-from-args.js';
import { onStopSignals } from './signals.js';
import { addTargetOptions, redactedCommand, type TargetArgs, targetFlagsFromArgs } from './target-options.js';

interface CapacityArgs extends TargetArgs {
  datasets?: string[];
  by?: 'concurrency' | 'rate';
  mock?: boolean;
  overwrite?: boolean;
}

export const capacityCommand: CommandModule<object, CapacityArgs> = {
  command: 'capacity [datasets..]',
  describe: 'Find the load a model/endpoint sustains before 429s, errors or latency blow up',
  builder: (y: Argv) =>
    addTargetOptions(y, 'Model to measure (one)')
      .positional('datasets', { type: 'string', array: true, describe: 'Prompts to send (cycled as needed)' })
      .option('by', {
        choices: ['concurrency', 'rate'] as const,
        describe: 'Search over concurrency (closed loop, default) or arrival rate in req/s (open loop)',
      })
      .option('start', { type: 'string', describe: 'First load (default 1)' })
      .option('max', {
        type: 'string',
        describe: 'Highest load to try (default 256 concurrent or 100 req/s)',
      })
      .option('step-duration', { type: 'string', describe: 'How long each step is held (default 20s)' })
      .option('step-requests', {
        type: 'string',
        describe: 'Or this many requests per step, whichever ends first (default 2000)',
      })
      .option('step-cooldown', {
        type: 'string',
        describe: 'Pause between steps, e.g. 60s so a per-minute window forgets the last step (default 0)',
      })
      .option('max-429-share', {
        type: 'string',
        describe: 'A step with more 429s than this share is over the limit (default 0.02)',
      })
      .option('max-error-share', {
        type: 'string',
        describe: 'A step with more non-429 errors than this share failed (default 0.01)',
      })
      .option('min-gain', {
        type: 'string',
        describe: 'Throughput gain a doubling must buy, else saturated (default 0.05)',
      })
      .option('slo', {
        type: 'string',
        array: true,
        describe: "Per-request objective each step must meet, e.g. 'ttft.p95<2s'",
      })
      .option('retries', {
        type: 'string',
        describe: 'Retries during steps (default 0: a 429 is information here)',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe: 'Output folder (default reports/capacity-<timestamp>)',
      })
      .option('results-gzip', {
        type: 'boolean',
        describe:
          'Write results.jsonl.gz (gzip, flushed every second) instead of results.jsonl; every reader of results takes either',
      })
      .option('preconnect', {
        type: 'boolean',
        describe:
          'Open the connections and warm the client before the clock starts (default on; --no-preconnect measures a cold start)',
      })
      .option('overwrite', {
        type: 'boolean',
        describe: 'Replace an earlier run in --out (without it, a folder holding results is refused)',
      })
      .option('mock', { type: 'boolean', describe: 'Measure the built-in mock, in-process' })
      .example(
        'STEP_API_KEY=... $0 capacity datasets/capacity.csv --max 256',
        'How much concurrency does my account take?',
      )
      .example(
        "$0 capacity prompts.csv --by rate --max 50 --slo 'ttft.p95<2s'",
        'Highest rate that keeps TTFT p95 under 2 s',
      )
      .example(
        '$0 capacity datasets/capacity.csv --mock --max 64 --step-duration 5s',
        'Try it offline',
      ) as unknown as Argv<CapacityArgs>,
  handler: async (argv) => {
    const signals = onStopSignals();
    try {
      const outcome = await capacity(
        {
          ...settingsFromArgs(argv, CAPACITY_SETTING_KEYS),
          ...targetFlagsFromArgs(argv),
          ...(argv.overwrite ? { overwrite: true } : {}),
          mock: Boolean(argv.mock),
          stop: signals.stop,
          abort: signals.abort,
          command: redactedCommand(argv),
        },
        {
          onStep: ({ load, step }) =>
            process.stderr.write(
              `[capacity] step ${step}: ${argv.by ?? 'concurrency'} ${formatLoad(load)} …\n`,
            ),
          onMeasured: (m) =>
            process.stderr.write(
              `[capacity]   ${m.throughputRps.toFixed(1)} req/s, 429 ${(m.rateLimitedShare * 100).toFixed(1)}%, errors ${(m.errorShare * 100).toFixed(1)}%\n`,
            ),
        },
        { path: flagPath },
      );
      process.stdout.write(`${formatCurve(outcome.answer)}\n\n${summarizeAnswer(outcome.answer)}\n`);
      for (const w of outcome.report.health?.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `results: ${outcome.resultsPath}\nreport:  ${outcome.reportPath}\njunit:   ${outcome.junitPath}\nhtml:    ${outcome.htmlPath}\n`,
      );
      process.exitCode = outcome.exitCode;
    } finally {
      signals.dispose();
    }
  },
};
