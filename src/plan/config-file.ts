import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { GENERATION_PARAMS } from './defaults.js';
import { parseDuration } from './duration.js';
import type { Price } from './types.js';

/** A target as written in a config file, before defaults and keys are resolved. */
export interface TargetSpec {
  name?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  stream?: boolean;
  streamUsage?: boolean;
  price?: Price;
}

/** Run settings a config file may hold; command-line flags override them. */
export interface RunSpec {
  datasets?: string[];
  concurrency?: number;
  repeat?: number;
  requests?: number;
  out?: string;
  onBadRow?: 'fail' | 'skip';
  /** Load phases run one after another (e.g. warmup → ramp → hold). */
  phases?: PhaseSpec[];
  /** Per-request SLOs for goodput, as on the command line (`ttft.p95<2s`). */
  slos?: string[];
}

/** One load phase as written in a config file; `concurrency` (closed loop) or `rate` (open loop). */
export interface PhaseSpec {
  name: string;
  warmup?: boolean;
  concurrency?: number;
  rate?: number;
  /** Ramp from this value to `concurrency`/`rate` over the phase's duration. */
  rampFrom?: number;
  /** Milliseconds (the file may say `30s`, `2m`, …). */
  durationMs?: number;
  requests?: number;
  arrival?: 'constant' | 'poisson' | 'gamma';
  burstiness?: number;
  maxConcurrency?: number;
}

export interface ConfigFile {
  defaults: TargetSpec;
  targets: TargetSpec[];
  run: RunSpec;
}

const TARGET_KEYS = [
  'name',
  'baseUrl',
  'model',
  'apiKeyEnv',
  'headers',
  'params',
  'stream',
  'streamUsage',
  'price',
];
const RUN_KEYS = ['datasets', 'concurrency', 'repeat', 'requests', 'out', 'onBadRow', 'phases', 'slos'];
const PHASE_KEYS = [
  'name',
  'warmup',
  'concurrency',
  'rate',
  'rampFrom',
  'duration',
  'requests',
  'arrival',
  'burstiness',
  'maxConcurrency',
];

function positiveNumber(obj: Obj, key: string, path: string, problems: Problems): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) {
    problems.add(`${path}.${key}`, 'must be a number > 0');
    return undefined;
  }
  return v;
}

function parsePhase(raw: unknown, path: string, problems: Problems): PhaseSpec | undefined {
  if (!isObject(raw)) {
    problems.add(path, 'must be a mapping with name and concurrency or rate');
    return undefined;
  }
  checkKeys(raw, PHASE_KEYS, path, problems);
  const name = str(raw, 'name', path, problems);
  if (!name) problems.add(`${path}.name`, 'is required');
  const spec: PhaseSpec = { name: name ?? path };
  const warmup = bool(raw, 'warmup', path, problems);
  if (warmup !== undefined) spec.warmup = warmup;
  for (const key of ['concurrency', 'requests', 'maxConcurrency'] as const) {
    const v = positiveInt(raw, key, path, problems);
    if (v !== undefined) spec[key] = v;
  }
  for (const key of ['rate', 'rampFrom', 'burstiness'] as const) {
    const v = positiveNumber(raw, key, path, problems);
    if (v !== undefined) spec[key] = v;
  }
  if ((spec.concurrency === undefined) === (spec.rate === undefined)) {
    problems.add(path, 'needs exactly one of concurrency (closed loop) or rate (open loop, requests/s)');
  }
  if (raw.duration !== undefined) {
    try {
      spec.durationMs = parseDuration(raw.duration as string | number, `${path}.duration`);
    } catch (err) {
      problems.add(`${path}.duration`, (err as Error).message.replace(/^.*? must/, 'must'));
    }
  }
  if (spec.rampFrom !== undefined && spec.durationMs === undefined) {
    problems.add(`${path}.rampFrom`, 'a ramp needs a duration to ramp over');
  }
  if (raw.arrival !== undefined) {
    if (raw.arrival === 'constant' || raw.arrival === 'poisson' || raw.arrival === 'gamma')
      spec.arrival = raw.arrival;
    else problems.add(`${path}.arrival`, "must be 'constant', 'poisson' or 'gamma'");
  }
  return spec;
}
const PRICE_KEYS = ['currency', 'input', 'cachedInput', 'output'];

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects every problem with a config so the user can fix them in one go. */
class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

function checkKeys(obj: Obj, allowed: readonly string[], path: string, problems: Problems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      problems.add(`${path}.${key}`, `unknown key (expected one of: ${allowed.join(', ')})`);
  }
}

function str(obj: Obj, key: string, path: string, problems: Problems): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) {
    problems.add(`${path}.${key}`, 'must be a non-empty string');
    return undefined;
  }
  return v;
}

function bool(obj: Obj, key: string, path: string, problems: Problems): boolean | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') {
    problems.add(`${path}.${key}`, 'must be true or false');
    return undefined;
  }
  return v;
}

function positiveInt(obj: Obj, key: string, path: string, problems: Problems): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    problems.add(`${path}.${key}`, 'must be a whole number ≥ 1');
    return undefined;
  }
  return v;
}

function parseTarget(raw: unknown, path: string, problems: Problems): TargetSpec {
  if (!isObject(raw)) {
    problems.add(path, 'must be a mapping of target settings');
    return {};
  }
  checkKeys(raw, TARGET_KEYS, path, problems);
  const spec: TargetSpec = {};
  for (const key of ['name', 'baseUrl', 'model', 'apiKeyEnv'] as const) {
    const v = str(raw, key, path, problems);
    if (v !== undefined) spec[key] = v;
  }
  if (spec.baseUrl && !/^https?:\/\//.test(spec.baseUrl))
    problems.add(`${path}.baseUrl`, 'must start with http:// or https://');
  for (const key of ['stream', 'streamUsage'] as const) {
    const v = bool(raw, key, path, problems);
    if (v !== undefined) spec[key] = v;
  }
  if (raw.headers !== undefined) {
    if (!isObject(raw.headers) || Object.values(raw.headers).some((h) => typeof h !== 'string')) {
      problems.add(`${path}.headers`, 'must be a mapping of header name to string value');
    } else spec.headers = raw.headers as Record<string, string>;
  }
  if (raw.params !== undefined) {
    if (!isObject(raw.params)) problems.add(`${path}.params`, 'must be a mapping of generation params');
    else {
      checkKeys(raw.params, GENERATION_PARAMS, `${path}.params`, problems);
      spec.params = raw.params;
    }
  }
  if (raw.price !== undefined) {
    const p = raw.price;
    if (!isObject(p))
      problems.add(`${path}.price`, 'must be a mapping with currency, input, cachedInput, output');
    else {
      checkKeys(p, PRICE_KEYS, `${path}.price`, problems);
      const bad = ['input', 'cachedInput', 'output'].filter(
        (k) => typeof p[k] !== 'number' || (p[k] as number) < 0,
      );
      if (typeof p.currency !== 'string')
        problems.add(`${path}.price.currency`, 'must be a string such as CNY');
      for (const k of bad) problems.add(`${path}.price.${k}`, 'must be a number ≥ 0 (price per 1M tokens)');
      if (bad.length === 0 && typeof p.currency === 'string') spec.price = p as unknown as Price;
    }
  }
  return spec;
}

function parseRun(raw: unknown, problems: Problems): RunSpec {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.add('run', 'must be a mapping of run settings');
    return {};
  }
  checkKeys(raw, RUN_KEYS, 'run', problems);
  const spec: RunSpec = {};
  for (const key of ['concurrency', 'repeat', 'requests'] as const) {
    const v = positiveInt(raw, key, 'run', problems);
    if (v !== undefined) spec[key] = v;
  }
  const out = str(raw, 'out', 'run', problems);
  if (out) spec.out = out;
  if (raw.onBadRow !== undefined) {
    if (raw.onBadRow === 'fail' || raw.onBadRow === 'skip') spec.onBadRow = raw.onBadRow;
    else problems.add('run.onBadRow', "must be 'fail' or 'skip'");
  }
  if (raw.datasets !== undefined) {
    if (!Array.isArray(raw.datasets) || raw.datasets.some((d) => typeof d !== 'string')) {
      problems.add('run.datasets', 'must be a list of file paths');
    } else spec.datasets = raw.datasets as string[];
  }
  if (raw.phases !== undefined) {
    if (!Array.isArray(raw.phases) || raw.phases.length === 0)
      problems.add('run.phases', 'must be a non-empty list');
    else {
      const phases = raw.phases.map((p, i) => parsePhase(p, `run.phases[${i}]`, problems));
      spec.phases = phases.filter((p): p is PhaseSpec => p !== undefined);
    }
  }
  if (raw.slos !== undefined) {
    if (!Array.isArray(raw.slos) || raw.slos.some((s) => typeof s !== 'string')) {
      problems.add('run.slos', "must be a list of objectives such as 'ttft.p95<2s'");
    } else spec.slos = raw.slos as string[];
  }
  return spec;
}

/** Validates an already-parsed config object; `file` is only used in messages. */
export function parseConfig(raw: unknown, file: string): ConfigFile {
  const problems = new Problems();
  if (!isObject(raw))
    throw new UserError(`${file}: the config must be a mapping with keys defaults, targets, run`);
  checkKeys(raw, ['defaults', 'targets', 'run'], 'config', problems);
  const defaults = raw.defaults === undefined ? {} : parseTarget(raw.defaults, 'defaults', problems);
  let targets: TargetSpec[] = [];
  if (raw.targets !== undefined) {
    if (!Array.isArray(raw.targets)) problems.add('targets', 'must be a list of targets');
    else targets = raw.targets.map((t, i) => parseTarget(t, `targets[${i}]`, problems));
  }
  const run = parseRun(raw.run, problems);
  if (problems.list.length > 0) {
    throw new UserError(`${file}: invalid config:\n  - ${problems.list.join('\n  - ')}`);
  }
  return { defaults, targets, run };
}

/** Reads a YAML (`.yaml`/`.yml`) or JSON config file. */
export async function loadConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`config file not found or unreadable: ${file}`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UserError(
      `${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
  return parseConfig(raw, file);
}
