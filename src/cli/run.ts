import type { Argv, CommandModule } from 'yargs';
import { RUN_SETTING_KEYS } from '../plan/run-config.js';
import { STEPFUN_TIER_NAMES } from '../plan/tiers.js';
import { formatSummary } from '../report/console.js';
import { run } from '../run/run.js';
import { Progress } from './progress.js';
import { flagPath, settingsFromArgs } from './settings-from-args.js';
import { onStopSignals } from './signals.js';
import { addTargetOptions, redactedCommand, type TargetArgs, targetFlagsFromArgs } from './target-options.js';

interface RunArgs extends TargetArgs {
  datasets?: string[];
  mock?: boolean;
  progress?: boolean;
  resume?: string;
  retryErrors?: boolean;
  overwrite?: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [datasets..]',
  describe:
    'Send every row of one or more datasets to one or more models and report latency, tokens and cost',
  builder: (y: Argv) =>
    addTargetOptions(y, 'Model to test; repeat for a side-by-side comparison')
      .positional('datasets', {
        type: 'string',
        array: true,
        describe: 'CSV, JSONL, JSON or OpenAI Batch JSONL files',
      })
      .option('concurrency', {
        alias: 'c',
        type: 'string',
        describe: 'Requests in flight at once (closed loop; default 8)',
      })
      .option('repeat', {
        type: 'string',
        describe: 'Send each row to each model this many times (default 1)',
      })
      .option('requests', {
        alias: 'n',
        type: 'string',
        describe: 'Stop after this many requests, cycling the dataset',
      })
      .option('on-bad-row', {
        choices: ['fail', 'skip'] as const,
        describe: 'Malformed row: stop (default) or skip and record it',
      })
      .option('out', { alias: 'o', type: 'string', describe: 'Output folder (default reports/<timestamp>)' })
      .option('rate', {
        type: 'string',
        describe: 'Open loop: start this many requests per second, whatever the latency',
      })
      .option('arrival', {
        choices: ['constant', 'poisson', 'gamma'] as const,
        describe: 'Open loop: how arrivals are spaced (default poisson)',
      })
      .option('burstiness', {
        type: 'string',
        describe: 'Open loop, gamma arrivals: 1 = Poisson, below 1 burstier, above 1 more regular',
      })
      .option('max-concurrency', {
        type: 'string',
        describe: 'Open loop: most requests in flight; later arrivals wait and count as late',
      })
      .option('duration', {
        type: 'string',
        describe: 'Stop dispatching after this long (e.g. 10m), cycling the dataset',
      })
      .option('warmup', {
        type: 'string',
        describe: 'Warmup first, excluded from statistics: a time (30s) or a number of requests (50)',
      })
      .option('ramp', {
        type: 'string',
        describe: 'Ramp up to --rate / -c over this long before the main phase',
      })
      .option('ramp-from', { type: 'string', describe: 'Where the ramp starts (default 1)' })
      .option('slo', {
        type: 'string',
        array: true,
        describe: "Per-request objective for goodput, e.g. 'ttft.p95<2s' 'tpot.p50<50ms' (repeatable)",
      })
      .option('gate', {
        type: 'string',
        array: true,
        describe:
          "CI gate on the finished run, exit 1 when it fails: 'pass_rate>=0.95', 'ttft.p95<2s', 'error_rate<0.01', 'cost.total<5', 'model:pass_rate>=0.9', or slo (every --slo) (repeatable)",
      })
      .option('grader', {
        type: 'string',
        describe:
          'Model that answers judge assertions (non-streaming, temperature 0; same endpoint flags as the targets). Default: the offline grader (quoted rubric phrases must appear)',
      })
      .option('abort-on-gate', {
        type: 'boolean',
        describe:
          'Stop the run (exit 1) as soon as a --gate can no longer pass: pass/success/error rates, cost.total<x, <duration>.pNN<x (see README)',
      })
      .option('shard', {
        type: 'string',
        describe:
          'Take one slice of the jobs: i/N (0-based), or auto with --shards N (index from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job); --rate is split, -c is per shard',
      })
      .option('shards', { type: 'string', describe: 'With --shard auto: how many shards there are' })
      .option('start-at', {
        type: 'string',
        describe:
          'Wait until this ISO 8601 time (with its zone) before the first request, so shards start together',
      })
      .option('batch-output', {
        type: 'string',
        describe:
          'Also write the results as OpenAI Batch-API output JSONL ({id, custom_id, response, error}) to this file; one target, no --repeat',
      })
      .option('baseline', {
        type: 'string',
        describe:
          'An earlier run (its folder or report.json) to compare with: per-row flips, metric deltas with significance; a significant regression beyond --max-regression exits 1',
      })
      .option('max-regression', {
        type: 'string',
        array: true,
        describe:
          "How much worse a figure may get against --baseline: 'ttft.p95:+20%', 'e2e.p50:+150ms', 'pass_rate:-0.05', 'model:error_rate:+0.01' (repeatable; default in docs/baseline.md)",
      })
      .option('alpha', {
        type: 'string',
        describe: 'Significance level of the baseline comparison (default 0.05)',
      })
      .option('reference', {
        type: 'string',
        describe:
          'With several targets: the one the others are compared with (default the first): agreement, deltas, differing rows',
      })
      .option('retries', {
        type: 'string',
        describe: 'Extra attempts after 429/5xx/network/timeout failures (default 4; 0 for pure load tests)',
      })
      .option('max-error-rate', {
        type: 'string',
        describe: 'Abort (exit 3) when more than this share of jobs fail for non-429 reasons, e.g. 0.05',
      })
      .option('rpm', { type: 'string', describe: 'Hold the client to this many requests per minute' })
      .option('tpm', {
        type: 'string',
        describe: 'Hold the client to this many tokens per minute (estimated, corrected with usage)',
      })
      .option('tier', {
        choices: STEPFUN_TIER_NAMES,
        describe: 'StepFun account tier preset: its concurrency, RPM and TPM (explicit flags win)',
      })
      .option('adaptive', {
        type: 'boolean',
        describe:
          'Adaptive concurrency: grow to the first 429, then AIMD (default on; --no-adaptive pins -c)',
      })
      .option('timeout-connect', { type: 'string', describe: 'Connect timeout (default 10s)' })
      .option('timeout-first-token', {
        type: 'string',
        describe: 'Request sent → first token, reasoning counts (default 2m)',
      })
      .option('timeout-idle', { type: 'string', describe: 'Longest silence between chunks (default 60s)' })
      .option('timeout-total', {
        type: 'string',
        describe: "Whole request (default 10m, StepFun's server cap)",
      })
      .option('prescan', {
        type: 'string',
        describe:
          "How long the first request waits for the whole dataset to be checked (default 1s); a bigger dataset is checked alongside the run and a bad row stops it then. 'all': check everything first",
      })
      .option('grace', {
        type: 'string',
        describe: 'After Ctrl-C, how long in-flight requests may finish (default 30s)',
      })
      .option('arrival-seed', {
        type: 'string',
        describe:
          'Open loop: seed of the arrival times, for a repeatable schedule (default random, reported)',
      })
      .option('encoding', {
        choices: ['utf8', 'latin1'] as const,
        describe:
          'How dataset files are decoded (default utf8; invalid UTF-8 is an error naming file and line)',
      })
      .option('record-hostname', {
        type: 'boolean',
        describe: "Write this machine's host name into report.json (off by default: reports get shared)",
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
      .option('resume', {
        type: 'string',
        describe: 'Continue the run in this folder: recorded jobs are skipped',
      })
      .option('retry-errors', {
        type: 'boolean',
        describe: 'With --resume: run again the jobs that ended in an error',
      })
      .option('mock', {
        type: 'boolean',
        describe: 'Run against the built-in StepFun-compatible mock, in-process',
      })
      .option('progress', {
        type: 'boolean',
        default: true,
        describe: 'Show live progress on stderr (--no-progress to hide)',
      })
      .example('$0 run datasets/smoke.csv --mock', 'Try it offline against the built-in mock')
      .example(
        'STEP_API_KEY=... $0 run datasets/smoke.csv',
        'Run the smoke set against StepFun (step-3.7-flash)',
      )
      .example('$0 run prompts.csv --model step-3.7-flash --model step-3.5-flash -c 16', 'Compare two models')
      .example('$0 run prompts.csv -c 64 -n 5000 --max-tokens 256', 'Load test: 5,000 requests, 64 in flight')
      .example('$0 run big.jsonl --tier V1 --max-error-rate 0.05', 'A batch held to a V1 account’s limits')
      .example(
        '$0 run prompts.csv --rate 20 --duration 10m --warmup 30s --no-adaptive --retries 0',
        'Open-loop load test',
      )
      .example("$0 run prompts.csv -c 64 --ramp 2m --duration 5m --slo 'ttft.p95<2s'", 'Ramp, hold, goodput')
      .example(
        '$0 run rubric.jsonl --mock --grader step-3.5-flash',
        'judge assertions answered by a grader model (the mock answers them offline)',
      )
      .example(
        "$0 run prompts.jsonl --gate 'pass_rate>=0.95' --baseline reports/main --max-regression 'ttft.p95:+20%'",
        'CI regression: gates, and main’s last run as the baseline (exit 1 on a failure)',
      )
      .example(
        '$0 run big.jsonl --resume reports/2026-11-25_10-00-00 --retry-errors',
        'Finish a crashed run; redo its errors',
      )
      .example(
        '$0 run prompts.jsonl --base-url http://localhost:8000/v1 --api-key-env VLLM_KEY --stream-usage',
        'A vLLM server',
      ) as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    const signals = onStopSignals();
    const progress = argv.progress ? new Progress() : undefined;
    try {
      const outcome = await run(
        {
          ...settingsFromArgs(argv, RUN_SETTING_KEYS),
          ...targetFlagsFromArgs(argv),
          ...(argv.resume ? { resume: argv.resume } : {}),
          ...(argv.retryErrors ? { retryErrors: true } : {}),
          ...(argv.overwrite ? { overwrite: true } : {}),
          mock: Boolean(argv.mock),
          stop: signals.stop,
          abort: signals.abort,
          command: redactedCommand(argv),
        },
        {
          onStart: ({ snapshot, resumed, shard, totalJobs, startLateMs }) => {
            if (shard) {
              const late =
                startLateMs === undefined
                  ? ''
                  : startLateMs > 0
                    ? ` · started ${(startLateMs / 1000).toFixed(1)} s after --start-at`
                    : ' · started at --start-at';
              process.stderr.write(
                `shard ${shard.index}/${shard.count}: ${totalJobs || 'its share of the'} jobs${late}\n`,
              );
            }
            if (resumed) {
              process.stderr.write(
                `resuming: ${resumed.kept} job(s) already recorded${resumed.dropped ? `, ${resumed.dropped} to run again` : ''}\n`,
              );
            }
            progress?.start(snapshot);
          },
        },
        { path: flagPath },
      );
      progress?.stop();
      // Said at the end: a dataset checked alongside the run finds its bad rows as it goes.
      const { badRows, complete } = outcome.report.dataset;
      if (badRows.length > 0) {
        process.stderr.write(
          `skipped ${badRows.length} malformed row(s)${complete === false ? ' in the part of the dataset checked' : ''}; they are listed in report.json (dataset.badRows)\n`,
        );
      }
      process.stdout.write(`${formatSummary(outcome.report)}\n`);
      process.stdout.write(
        `results: ${outcome.resultsPath}\nreport:  ${outcome.reportPath}\njunit:   ${outcome.junitPath}\nhtml:    ${outcome.htmlPath}\n` +
          (outcome.batchOutputPath ? `batch:   ${outcome.batchOutputPath}\n` : ''),
      );
      if (outcome.aborted) process.stderr.write(`run aborted: ${outcome.aborted}\n`);
      process.exitCode = outcome.exitCode;
    } catch (err) {
      progress?.stop();
      throw err;
    } finally {
      signals.dispose();
    }
  },
};
