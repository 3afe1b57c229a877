import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { readResults } from '../results/reader.js';
import { type JunitVerdict, junitSeconds, junitTestcase } from './junit-case.js';
import type { Report } from './schema.js';
import { xmlAttr } from './xml-text.js';

export interface JunitOptions {
  /** Suites in this order (the report's targets, listed even when empty); targets only the results name follow. */
  targets?: readonly string[];
  /** The run repeats rows (`--repeat` > 1): every case is named `<row> #n`. */
  numberRepeats?: boolean;
  /** The run's id: the name of `<testsuites>`. */
  runId?: string;
  /** ISO 8601 time the run started: each suite's `timestamp` (UTC, without zone, as Ant writes it). */
  startedAt?: string;
  /** Only when the report records one (`--record-hostname`): reports get shared. */
  hostname?: string;
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** What one target's suite holds while its cases stream into their part file. */
interface Suite extends JunitCounts {
  name: string;
  model?: string;
  partPath: string;
  part: WriteStream;
  firstStartMs: number;
  lastEndMs: number;
}

/**
 * Writes `junit.xml` from a results.jsonl (docs/junit.md): one `<testsuite>` per target, one
 * `<testcase>` per job (row × target × repeat), warmup jobs left out. A suite's counts go in its
 * opening tag but its cases are interleaved with other targets' in the results, so each suite's
 * cases stream into a part file first and the parts are joined behind their headers: memory
 * stays constant however many rows the run had. Atomic like report.json: the file appears whole
 * (renamed from a temporary file) or not at all. Returns the totals.
 */
export async function writeJunitXml(
  path: string,
  resultsPath: string,
  options: JunitOptions = {},
): Promise<JunitCounts> {
  await mkdir(dirname(path), { recursive: true });
  const stem = `${path}.${process.pid}.${Date.now()}`;
  const suites = new Map<string, Suite>();
  const openSuite = (name: string): Suite => {
    let suite = suites.get(name);
    if (!suite) {
      const partPath = `${stem}.${suites.size}.part`;
      const part = createWriteStream(partPath, { encoding: 'utf8' });
      suite = {
        name,
        partPath,
        part,
        tests: 0,
        failures: 0,
        errors: 0,
        skipped: 0,
        firstStartMs: Number.POSITIVE_INFINITY,
        lastEndMs: Number.NEGATIVE_INFINITY,
      };
      part.on('error', () => {}); // surfaced by `finished` below
      suites.set(name, suite);
    }
    return suite;
  };
  const tmp = `${stem}.tmp`;
  try {
    for (const name of options.targets ?? []) openSuite(name);
    for await (const result of readResults(resultsPath)) {
      if (result.warmup) continue;
      const suite = openSuite(result.target);
      const testcase = junitTestcase(result, options.numberRepeats ?? false);
      count(suite, testcase.verdict);
      suite.model ??= result.model;
      suite.firstStartMs = Math.min(suite.firstStartMs, result.times.scheduledAt);
      suite.lastEndMs = Math.max(suite.lastEndMs, result.times.endAt);
      if (!suite.part.write(testcase.xml)) await once(suite.part, 'drain');
    }
    for (const suite of suites.values()) {
      suite.part.end();
      await finished(suite.part);
    }
    await joinSuites(tmp, [...suites.values()], options);
    await rename(tmp, path);
    return total([...suites.values()]);
  } finally {
    for (const suite of suites.values()) {
      suite.part.destroy();
      await rm(suite.partPath, { force: true });
    }
    await rm(tmp, { force: true });
  }
}

function count(suite: Suite, verdict: JunitVerdict): void {
  suite.tests++;
  if (verdict === 'failure') suite.failures++;
  else if (verdict === 'error') suite.errors++;
  else if (verdict === 'skipped') suite.skipped++;
}

function total(suites: readonly Suite[]): JunitCounts {
  const sum = (key: keyof JunitCounts) => suites.reduce((n, s) => n + s[key], 0);
  return { tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') };
}

/** A suite's time is its wall-clock span (first job scheduled → last one ended), not the sum of its cases, which overlap. */
function spanMs(suite: Suite): number {
  return suite.tests > 0 ? suite.lastEndMs - suite.firstStartMs : 0;
}

/** Ant's timestamp form (`2025-01-31T12:00:00`, UTC); undefined for a time that does not parse. */
function antTimestamp(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 19);
}

async function joinSuites(tmp: string, suites: readonly Suite[], options: JunitOptions): Promise<void> {
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  out.on('error', () => {}); // surfaced by `once` or `finished`
  try {
    await writeDocument(out, suites, options);
    out.end();
    await finished(out);
  } finally {
    out.destroy();
  }
}

async function writeDocument(
  out: WriteStream,
  suites: readonly Suite[],
  options: JunitOptions,
): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const totals = total(suites);
  const withCases = suites.filter((s) => s.tests > 0);
  const runMs =
    withCases.length > 0
      ? Math.max(...withCases.map((s) => s.lastEndMs)) - Math.min(...withCases.map((s) => s.firstStartMs))
      : 0;
  const timestamp = antTimestamp(options.startedAt);
  await write('<?xml version="1.0" encoding="UTF-8"?>\n');
  await write(
    `<testsuites name="${xmlAttr(`stepbench${options.runId ? ` ${options.runId}` : ''}`)}" ` +
      `tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${junitSeconds(runMs)}">\n`,
  );
  for (const suite of suites) {
    await write(
      `  <testsuite name="${xmlAttr(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" ` +
        `errors="${suite.errors}" skipped="${suite.skipped}" time="${junitSeconds(spanMs(suite))}"` +
        `${timestamp ? ` timestamp="${timestamp}"` : ''}` +
        `${options.hostname ? ` hostname="${xmlAttr(options.hostname)}"` : ''}>\n`,
    );
    if (suite.model !== undefined)
      await write(
        `    <properties>\n      <property name="model" value="${xmlAttr(suite.model)}"/>\n    </properties>\n`,
      );
    await pipeline(createReadStream(suite.partPath), out, { end: false });
    await write('  </testsuite>\n');
  }
  await write('</testsuites>\n');
}

/** The options a finished run's report implies: suite order, run id, start time, host name if recorded. */
export function junitOptionsFromReport(
  report: Pick<Report, 'targets' | 'run' | 'environment'>,
  numberRepeats: boolean,
): JunitOptions {
  const options: JunitOptions = {
    targets: report.targets.map((t) => t.name),
    numberRepeats,
    runId: report.run.id,
    startedAt: report.run.startedAt,
  };
  if (report.environment.hostname) options.hostname = report.environment.hostname;
  return options;
}
