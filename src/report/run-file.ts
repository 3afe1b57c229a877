import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { ReportTargetInput } from './json.js';
import type {
  Report,
  ReportDataset,
  ReportEnvironment,
  ReportLimits,
  ReportMerged,
  ReportShard,
} from './schema.js';

export const RUN_FILE = 'run.json';

/** The limits a run was configured with: `ReportLimits` without what the limiter learned. */
export type ConfiguredLimits = Pick<
  ReportLimits,
  'adaptive' | 'maxConcurrency' | 'rpm' | 'tpm' | 'tier' | 'retries' | 'timeoutsMs'
>;

/**
 * `run.json`: what a report needs that `results.jsonl` does not hold, written into the output
 * folder before the first request (and again when a run is resumed, for the new segment), so that
 * `stepbench report <dir>` can rebuild every output of a run — also of one that was killed.
 * Everything in it is already as the report shows it: targets, command line and options redacted
 * by the same functions (docs/report-schema.md, "run.json").
 */
export interface RunFile {
  v: 1;
  command: 'run' | 'capacity';
  /** `run.id` of the report: the output folder as the run named it. */
  id: string;
  /** ISO 8601 wall-clock start of this segment of the run (a resumed run's: the resume). */
  startedAt: string;
  /**
   * The run's clock (ms since the run started) at `startedAt`: 0, or where the kept results of a
   * resumed run end (its clock goes on from there).
   */
  clockAtStartMs: number;
  stepbenchVersion: string;
  /** argv, secrets redacted (`run.command`). */
  commandLine: string[];
  /** `run.options`: the settings as given, and the arrival seed when the plan has an open-loop phase. */
  options: Record<string, unknown>;
  environment: ReportEnvironment;
  /** The targets as the report shows them: no key, secret headers and URL credentials redacted; prices. */
  targets: ReportTargetInput[];
  /** The grader target's model, when `judge` assertions had one (its counts are not in the results). */
  grader?: string;
  dataset: ReportDataset;
  /** `--repeat`. */
  repeat: number;
  /** `--slo` texts as written. */
  slos: string[];
  /** `--gate` texts as written, `slo` included when it was given. */
  gates: string[];
  /** `--max-error-rate`: judged again on the results (`failed`). */
  maxErrorRate?: number;
  /** Always written by a run; absent only when recovered from a report that had none. */
  limits?: ConfiguredLimits;
  /** `--reference`: the target the others were compared with (several targets). */
  reference?: string;
  /** `--shard`: the slice this run was (`report.shard`). */
  shard?: ReportShard;
  /** A run `stepbench merge` put together (`report.merged`). */
  merged?: ReportMerged;
  /** Present when this segment resumed an earlier run (`report.resumed`). */
  resumed?: { kept: number; rerun: number };
}

/** Writes `run.json` (pretty-printed: a person may read it). */
export async function writeRunFile(dir: string, file: RunFile): Promise<void> {
  await writeFile(join(dir, RUN_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads a folder's `run.json`; undefined when there is none (a run of an older stepbench). */
export async function readRunFile(dir: string): Promise<RunFile | undefined> {
  const path = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${path}: unreadable (${(err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const file = parsed as Partial<RunFile> | null;
  if (!file || typeof file !== 'object' || file.v !== 1)
    throw new UserError(`${path}: not a stepbench run file (expected "v": 1)`);
  for (const key of ['targets', 'gates', 'slos', 'commandLine'] as const) {
    if (!Array.isArray(file[key])) throw new UserError(`${path}: "${key}" is missing or not a list`);
  }
  if (typeof file.startedAt !== 'string' || typeof file.id !== 'string')
    throw new UserError(`${path}: "id" and "startedAt" must be strings`);
  if (!file.dataset || !file.environment)
    throw new UserError(`${path}: "dataset" and "environment" are required`);
  return file as RunFile;
}

/**
 * The run file of a run made before stepbench wrote one, recovered from its `report.json`: every
 * part of it is in the report, except that the gates are read back from their verdicts.
 */
export function runFileFromReport(report: Report): RunFile {
  const gateTexts = new Set<string>();
  let sloGates = false;
  for (const g of report.gates ?? []) {
    if (g.gate.startsWith('slo ')) sloGates = true;
    else gateTexts.add(g.gate);
  }
  const maxErrorRate = report.run.options.maxErrorRate;
  const limits = report.limits;
  const configured: ConfiguredLimits | undefined = limits && {
    adaptive: limits.adaptive,
    maxConcurrency: limits.maxConcurrency,
    rpm: limits.rpm,
    tpm: limits.tpm,
    tier: limits.tier,
    retries: limits.retries,
    timeoutsMs: limits.timeoutsMs,
  };
  return {
    v: 1,
    command: report.run.options.command === 'capacity' ? 'capacity' : 'run',
    id: report.run.id,
    startedAt: report.run.startedAt,
    // Not recorded before run.json: the estimate of endedAt is then off by the earlier segments.
    clockAtStartMs: 0,
    stepbenchVersion: report.run.stepbenchVersion,
    commandLine: report.run.command,
    options: report.run.options,
    environment: report.environment,
    targets: report.targets.map((t) => ({
      name: t.name,
      baseUrl: t.baseUrl,
      model: t.model,
      apiKeyEnv: t.apiKeyEnv,
      stream: t.stream,
      params: t.params,
      headers: t.headers,
      ...(t.price ? { price: t.price } : {}),
    })),
    ...(report.grader ? { grader: report.grader.model } : {}),
    dataset: report.dataset,
    repeat: report.repeats?.k ?? 1,
    slos: report.slos ?? [],
    gates: [...gateTexts, ...(sloGates ? ['slo'] : [])],
    ...(typeof maxErrorRate === 'number' ? { maxErrorRate } : {}),
    ...(configured ? { limits: configured } : {}),
    ...(report.resumed ? { resumed: report.resumed } : {}),
  };
}
