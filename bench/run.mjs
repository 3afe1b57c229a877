/**
 * `npm run bench`: runs bench suites in order, prints each one's table and writes its JSON
 * to reports/bench/<suite.reportFile>.
 *
 *   node bench/run.mjs                    every suite
 *   node bench/run.mjs client-overhead    only the named suites
 *   node bench/run.mjs --rounds 20        shorter runs (a suite reads the settings it knows)
 *   node bench/run.mjs rate-shapes --set shapes=token-bucket --set clients=stepbench
 *                                         one suite setting (see bench/lib/settings.mjs)
 *
 * A suite is a module whose default export is { name, describe, reportFile, run({ log, settings }) }
 * returning { text, report }. To add one, write bench/<name>.mjs and list it in SUITES.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import baselineStats, { defaultSettings as baselineStatsSettings } from './baseline-stats.mjs';
import bigDataset, { defaultSettings as bigDatasetSettings } from './big-dataset.mjs';
import capacitySearch, { defaultSettings as capacitySearchSettings } from './capacity-search.mjs';
import clientOverhead, { defaultSettings as clientOverheadSettings } from './client-overhead.mjs';
import coldStart, { defaultSettings as coldStartSettings } from './cold-start.mjs';
import groundTruth, { defaultSettings as groundTruthSettings } from './ground-truth.mjs';
import htmlReport, { defaultSettings as htmlReportSettings } from './html-report.mjs';
import { parseSetting } from './lib/settings.mjs';
import manyStreams, { defaultSettings as manyStreamsSettings } from './many-streams.mjs';
import openLoop, { defaultSettings as openLoopSettings } from './open-loop.mjs';
import rateLimit, { defaultSettings as rateLimitSettings } from './rate-limit.mjs';
import rateShapes, { defaultSettings as rateShapesSettings } from './rate-shapes.mjs';
import wireLoad, { defaultSettings as wireLoadSettings } from './wire-load.mjs';

const SUITES = [
  { suite: clientOverhead, defaults: clientOverheadSettings },
  { suite: groundTruth, defaults: groundTruthSettings },
  { suite: rateLimit, defaults: rateLimitSettings },
  { suite: rateShapes, defaults: rateShapesSettings },
  { suite: openLoop, defaults: openLoopSettings },
  { suite: manyStreams, defaults: manyStreamsSettings },
  { suite: capacitySearch, defaults: capacitySearchSettings },
  { suite: coldStart, defaults: coldStartSettings },
  { suite: wireLoad, defaults: wireLoadSettings },
  { suite: baselineStats, defaults: baselineStatsSettings },
  { suite: htmlReport, defaults: htmlReportSettings },
  { suite: bigDataset, defaults: bigDatasetSettings },
];

const REPORT_DIR = fileURLToPath(new URL('../reports/bench/', import.meta.url));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string' },
    set: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('usage: node bench/run.mjs [suite …] [--rounds N] [--set name=value …]\n\nsuites:');
  for (const { suite } of SUITES) console.log(`  ${suite.name.padEnd(18)} ${suite.describe}`);
  process.exit(0);
}

const unknown = positionals.filter((name) => !SUITES.some(({ suite }) => suite.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown suite ${unknown.join(', ')}; known: ${SUITES.map(({ suite }) => suite.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen =
  positionals.length === 0 ? SUITES : SUITES.filter(({ suite }) => positionals.includes(suite.name));

// Every chosen suite's settings, resolved before any runs, so a typo fails at once. --set applies
// to each chosen suite that has the setting; one that none has is a typo.
const sets = values.set ?? [];
const nameOf = (entry) => entry.slice(0, Math.max(0, entry.indexOf('=')));
for (const entry of sets) {
  if (!chosen.some(({ defaults }) => Object.hasOwn(defaults, nameOf(entry)))) {
    console.error(`--set ${entry}: none of the chosen suites has a setting "${nameOf(entry)}"`);
    process.exit(2);
  }
}
const prepared = chosen.map(({ suite, defaults }) => {
  const settings = { ...defaults };
  if (values.rounds !== undefined && 'rounds' in settings) settings.rounds = Number(values.rounds);
  for (const entry of sets.filter((e) => Object.hasOwn(defaults, nameOf(e)))) {
    try {
      const { name, value } = parseSetting(entry, defaults);
      settings[name] = value;
    } catch (err) {
      console.error(err.message);
      process.exit(2);
    }
  }
  return { suite, settings };
});

const log = (line) => console.error(`[bench] ${line}`);
await mkdir(REPORT_DIR, { recursive: true });
for (const { suite, settings } of prepared) {
  log(`suite ${suite.name}: ${suite.describe}`);
  const started = performance.now();
  const { text, report } = await suite.run({ log, settings });
  const path = `${REPORT_DIR}${suite.reportFile}`;
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n## ${suite.name}\n\n${text}\n`);
  log(`suite ${suite.name} took ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${path}`);
}
