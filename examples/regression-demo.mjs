#!/usr/bin/env node
// `npm run demo:regression`: a CI regression run that fails, offline. Two mock servers stand in
// for "the model last week" and "the model today": the second answers three of the twelve rows
// of datasets/regression.jsonl wrongly and is about 40 % slower. stepbench first records a
// baseline against the first, then runs against the second with gates and that baseline, prints
// the comparison, and exits 1 — the code a CI job fails on. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServer } from '../dist/index.js';
import { readCannedAnswers } from '../dist/mock/canned-answers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'examples', 'regression-demo');
const out = join(root, 'reports', 'demo-regression');
const passThrough = process.argv.slice(2);

/** A mock answering from `answersFile`, with a TTFT around `ttftMs`; seeded, so reruns agree. */
function mock(answersFile, ttftMs, interTokenMs) {
  return startMockServer({
    port: 0,
    seed: 7,
    answers: readCannedAnswers(join(here, answersFile)),
    ttftMs: { kind: 'normal', mean: ttftMs, sd: ttftMs / 10 },
    interTokenMs: { kind: 'normal', mean: interTokenMs, sd: interTokenMs / 10 },
  });
}

/** Runs the CLI as a child (not spawnSync: the mocks live in this process's event loop). */
function stepbench(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], {
      stdio: 'inherit',
      // The mock takes any key; this one only exists for the demo.
      env: { ...process.env, STEPBENCH_DEMO_KEY: 'demo-key' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 70)));
  });
}

const common = (url) => [
  'run',
  join(root, 'datasets', 'regression.jsonl'),
  '--base-url',
  url,
  '--api-key-env',
  'STEPBENCH_DEMO_KEY',
  '--model',
  'step-3.7-flash',
  '--repeat',
  '3',
  '--concurrency',
  '4',
  '--overwrite',
  ...passThrough,
];

const before = await mock('answers-baseline.jsonl', 40, 8);
const after = await mock('answers-regressed.jsonl', 56, 11);
let code;
try {
  console.log('\n== 1/2 baseline: the model as it was (every row right)\n');
  const baselineCode = await stepbench([...common(before.url), '--out', join(out, 'baseline')]);
  if (baselineCode !== 0) throw new Error(`the baseline run exited ${baselineCode}, expected 0`);
  console.log(
    '\n== 2/2 today: three rows answer wrongly, replies ~40 % slower; gates and the baseline decide\n',
  );
  code = await stepbench([
    ...common(after.url),
    '--out',
    join(out, 'current'),
    '--gate',
    'pass_rate>=0.95',
    '--gate',
    'ttft.p95<2s',
    '--baseline',
    join(out, 'baseline'),
  ]);
} finally {
  await before.close();
  await after.close();
}
console.log(
  `\nstepbench exited ${code} (1 = assertions, gates or the baseline comparison failed). ` +
    `Reports: ${join('reports', 'demo-regression', 'current')}/ (report.json, summary.md, junit.xml)`,
);
process.exit(code);
