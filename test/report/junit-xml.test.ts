import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitCaseName, junitClassname, junitVerdict } from '../../src/report/junit-case.js';
import { writeJunitXml } from '../../src/report/junit-xml.js';
import { OUTCOME_CLASSES } from '../../src/results/outcomes.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { canCheckJunit, readJunitWithJunitparser, validateJunit } from '../helpers/junit-tools.js';
import { withMock } from '../helpers/mock.js';
import { makeResult, type ResultSpec } from '../metrics/job-result-factory.js';

/** Everything model text can throw at an XML writer. */
const NASTY = '</failure>]]><!-- & "q" \u0000 \u001b[31m red \uD800 lone \u2028 sep 😀 中文 \r\n end';
/** What survives: every character XML 1.0 can carry, the rest as U+FFFD. */
const NASTY_KEPT = '</failure>]]><!-- & "q" \uFFFD \uFFFD[31m red \uFFFD lone \u2028 sep 😀 中文 \r\n end';

const A = 'step-3.7-flash';
const B = 'step-3.5-flash';

function result(spec: ResultSpec, extra: Partial<JobResult>): JobResult {
  const r = { ...makeResult(spec), ...extra };
  r.key = `${r.rowId}|${r.target}|${r.repeat}`;
  return r;
}

/** Two targets; ok, a repeat, two failed checks, an HTTP 400, a timeout, an interruption, a warmup. */
function handMadeResults(): JobResult[] {
  return [
    result({ target: A, e2e: 1500, scheduledAt: 0 }, { rowId: 'greet', repeat: 0 }),
    result({ target: A, e2e: 500, scheduledAt: 100 }, { rowId: 'greet', repeat: 1 }),
    result(
      { target: A, outcome: 'assertion_failed', e2e: 250, scheduledAt: 200 },
      {
        rowId: `capital ${NASTY}`,
        expected: 'The capital is Paris.',
        output: `The capital is Lyon. ${NASTY}`,
        checks: {
          pass: false,
          score: 1 / 3,
          results: [
            { type: 'contains', pass: false, score: 0, reason: `output does not contain "Paris" ${NASTY}` },
            { type: 'is-json', pass: true, score: 1, reason: 'valid JSON' },
            {
              type: 'regex',
              pass: false,
              score: 0,
              reason: 'output does not match /^\\d+$/',
              label: 'digits',
            },
          ],
        },
      },
    ),
    result(
      { target: A, outcome: 'http_4xx', status: 400, e2e: 20, scheduledAt: 300 },
      {
        rowId: 'bad-params',
        output: '',
        error: { message: `max_tokens too large ${NASTY}`, type: 'request_params_invalid' },
        traceId: 'trace-1',
      },
    ),
    result({ target: A, outcome: 'ok', scheduledAt: -500 }, { rowId: 'warm', warmup: true, phase: 'warmup' }),
    result(
      { target: B, outcome: 'timeout_first_token', e2e: 30_000, scheduledAt: 0 },
      { rowId: 'slow', output: '', error: { message: 'no first token within 30s' } },
    ),
    result({ target: B, outcome: 'interrupted', e2e: 10, scheduledAt: 50 }, { rowId: 'cut', output: '' }),
    result({ target: B, outcome: 'length', e2e: 2000, scheduledAt: 60 }, { rowId: 'long' }),
  ];
}

async function writeResults(results: JobResult[]): Promise<{ dir: string; resultsPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-junit-'));
  const resultsPath = join(dir, 'results.jsonl');
  await writeFile(resultsPath, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { dir, resultsPath };
}

describe('the JUnit mapping', () => {
  it('gives every outcome class a verdict: failed checks fail, errors error, interruptions skip, answers pass', () => {
    const verdicts = Object.fromEntries(OUTCOME_CLASSES.map((o) => [o, junitVerdict(o)]));
    expect(verdicts).toEqual({
      ok: 'passed',
      length: 'passed',
      assertion_failed: 'failure',
      interrupted: 'skipped',
      rate_limited: 'error',
      http_4xx: 'error',
      http_5xx: 'error',
      timeout_connect: 'error',
      timeout_first_token: 'error',
      timeout_idle: 'error',
      timeout_total: 'error',
      network: 'error',
      truncated: 'error',
      content_filter: 'error',
      stream_error: 'error',
    });
  });

  it('names cases by row (numbered when repeated) and classes by target, without dots Jenkins would split', () => {
    expect(junitCaseName({ rowId: 'r1', repeat: 0 }, false)).toBe('r1');
    expect(junitCaseName({ rowId: 'r1', repeat: 0 }, true)).toBe('r1 #1');
    expect(junitCaseName({ rowId: 'r1', repeat: 2 }, false)).toBe('r1 #3');
    expect(junitClassname('step-3.7-flash')).toBe('stepbench.step-3_7-flash');
  });
});

describe('junit.xml from a results file', () => {
  it('has one suite per target in the given order, counts and times in seconds, warmup left out, no temp files', async () => {
    const { dir, resultsPath } = await writeResults(handMadeResults());
    const path = join(dir, 'junit.xml');
    const totals = await writeJunitXml(path, resultsPath, {
      targets: [B, A],
      numberRepeats: true,
      runId: 'run-1',
      startedAt: '2025-03-04T05:06:07.890Z',
    });
    expect(totals).toEqual({ tests: 7, failures: 1, errors: 2, skipped: 1 });
    const xml = await readFile(path, 'utf8');
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="stepbench run-1" tests="7" failures="1" errors="2" time="',
      ),
    ).toBe(true);
    expect(xml.indexOf(`<testsuite name="${B}"`)).toBeLessThan(xml.indexOf(`<testsuite name="${A}"`));
    expect(xml).toContain(
      `<testsuite name="${A}" tests="4" failures="1" errors="1" skipped="0" time="1.500" timestamp="2025-03-04T05:06:07">`,
    );
    expect(xml).toContain('<testcase name="greet #1" classname="stepbench.step-3_7-flash" time="1.500"/>');
    expect(xml).toContain('<testcase name="greet #2" classname="stepbench.step-3_7-flash" time="0.500"/>');
    expect(xml).not.toContain('warm');
    expect(xml).not.toContain('hostname=');
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'results.jsonl']);
  });

  it('lists a target without results as an empty suite', async () => {
    const { dir, resultsPath } = await writeResults([]);
    const path = join(dir, 'junit.xml');
    expect(await writeJunitXml(path, resultsPath, { targets: [A] })).toEqual({
      tests: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
    });
    expect(await readFile(path, 'utf8')).toContain(
      `<testsuite name="${A}" tests="0" failures="0" errors="0" skipped="0" time="0.000">\n  </testsuite>`,
    );
  });

  it('names the results file when it cannot be read, and leaves no junit.xml behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-junit-'));
    await expect(writeJunitXml(join(dir, 'junit.xml'), join(dir, 'missing.jsonl'))).rejects.toThrow(
      /missing\.jsonl/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  describe.skipIf(!canCheckJunit)('checked by outside tools', () => {
    it('validates against the Jenkins xunit JUnit schema and reads back right in junitparser', async () => {
      const { dir, resultsPath } = await writeResults(handMadeResults());
      const path = join(dir, 'junit.xml');
      await writeJunitXml(path, resultsPath, {
        targets: [A, B],
        numberRepeats: true,
        runId: 'run-1',
        startedAt: '2025-03-04T05:06:07.890Z',
        hostname: 'ci-box',
      });
      const verdict = validateJunit(path);
      expect(verdict.output).toMatch(/validates/);
      expect(verdict.valid).toBe(true);

      const suites = readJunitWithJunitparser(path);
      expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
        [A, 4, 1, 1, 0],
        [B, 3, 0, 1, 1],
      ]);
      expect(suites[0]?.time).toBeCloseTo(1.5, 3);
      const cases = new Map(suites.flatMap((s) => s.cases.map((c) => [`${s.name}/${c.name}`, c])));
      expect(cases.get(`${A}/greet #1`)).toMatchObject({ time: 1.5, results: [] });

      // Nasty text round-trips as text: markup stays literal, illegal characters become U+FFFD.
      const failed = cases.get(`${A}/capital ${NASTY_KEPT} #1`);
      expect(failed?.classname).toBe('stepbench.step-3_7-flash');
      expect(failed?.results).toHaveLength(1);
      const failure = failed?.results[0];
      expect(failure).toMatchObject({
        kind: 'failure',
        type: 'contains',
        message: `output does not contain "Paris" ${NASTY_KEPT}`,
      });
      expect(failure?.text).toContain(`contains: output does not contain "Paris" ${NASTY_KEPT}`);
      expect(failure?.text).toContain('digits (regex): output does not match /^\\d+$/');
      expect(failure?.text).not.toContain('is-json');
      expect(failure?.text).toContain('expected: The capital is Paris.');
      expect(failure?.text).toContain('diff:     The capital is [-Paris-]{+Lyon+}. {+</failure>]]>');
      expect(failure?.text).toContain('row: prompts.csv:');
      expect(failed?.systemOut).toBe(`The capital is Lyon. ${NASTY_KEPT}`);

      // Errors are kept apart from failures, typed by outcome.
      const bad = cases.get(`${A}/bad-params #1`)?.results[0];
      expect(bad).toMatchObject({
        kind: 'error',
        type: 'http_4xx',
        message: `HTTP 400: max_tokens too large ${NASTY_KEPT}`,
      });
      expect(bad?.text).toContain('error type: request_params_invalid');
      expect(bad?.text).toContain('trace id: trace-1');
      expect(cases.get(`${B}/slow #1`)?.results[0]).toMatchObject({
        kind: 'error',
        type: 'timeout_first_token',
        message: 'no first token within 30s',
      });
      expect(cases.get(`${B}/cut #1`)?.results[0]).toMatchObject({ kind: 'skipped' });
      expect(cases.get(`${B}/long #1`)?.results).toEqual([]);
      expect(await readFile(path, 'utf8')).toContain('hostname="ci-box"');
    });

    it('the schema is no rubber stamp: it refuses what the Jenkins xunit schema refuses', async () => {
      const { dir, resultsPath } = await writeResults(handMadeResults());
      const path = join(dir, 'junit.xml');
      await writeJunitXml(path, resultsPath, { targets: [A, B] });
      const good = await readFile(path, 'utf8');
      expect(validateJunit(path).valid).toBe(true);
      const broken = {
        'skipped on the root': good.replace('<testsuites ', '<testsuites skipped="1" '),
        'a case without a name': good.replace(/<testcase name="[^"]*"/, '<testcase'),
        'a suite without tests': good.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1'),
        'a time with an exponent': good.replace('time="1.500"', 'time="1.5e0"'),
        'a count that is not a number': good.replace('failures="1"', 'failures="one"'),
        'an unknown element': good.replace('<properties>', '<extras/><properties>'),
      };
      for (const [what, xml] of Object.entries(broken)) {
        expect(xml, what).not.toBe(good);
        const variant = join(dir, 'variant.xml');
        await writeFile(variant, xml);
        expect(validateJunit(variant).valid, what).toBe(false);
      }
    });

    it('a run against the mock writes junit.xml that agrees with report.json', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'stepbench-junit-run-'));
      const dataset = join(dir, 'rows.jsonl');
      const rows = [
        { id: 'passes', prompt: 'hi', expected: '/./' },
        { id: 'fails', prompt: 'hi', expected: 'zebra-quartz' },
        { id: 'plain', prompt: 'hello' },
      ];
      await writeFile(dataset, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await withMock({ ttftMs: 1, interTokenMs: 1, replyTokens: 4 }, async (mock) => {
        const o = await run({
          datasets: [dataset],
          baseUrl: mock.url,
          env: { STEP_API_KEY: 'k-junit' },
          out: join(dir, 'out'),
          repeat: 2,
        });
        expect(o.junitPath).toBe(join(dir, 'out', 'junit.xml'));
        expect(validateJunit(o.junitPath).valid).toBe(true);
        const [suite, ...others] = readJunitWithJunitparser(o.junitPath);
        expect(others).toEqual([]);
        const target = o.report.targets[0];
        const outcomes: Partial<Record<string, number>> = target?.summary.outcomes ?? {};
        expect(suite?.name).toBe(target?.name);
        expect(suite?.tests).toBe(target?.summary.requests);
        expect(suite?.tests).toBe(6);
        expect(suite?.failures).toBe(outcomes.assertion_failed);
        expect(suite?.failures).toBe(2);
        expect(suite?.errors).toBe(0);
        expect(suite?.skipped).toBe(0);
        expect(suite?.cases.map((c) => c.name).sort()).toEqual([
          'fails #1',
          'fails #2',
          'passes #1',
          'passes #2',
          'plain #1',
          'plain #2',
        ]);
        const failure = suite?.cases.find((c) => c.name === 'fails #1')?.results[0];
        const recorded = (await readFile(o.resultsPath, 'utf8'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as JobResult)
          .find((r) => r.rowId === 'fails' && r.repeat === 0);
        expect(failure?.kind).toBe('failure');
        expect(failure?.message).toBe(recorded?.checks?.results.find((c) => !c.pass)?.reason);
        expect(failure?.message).toMatch(/zebra-quartz/);
        expect(o.exitCode).toBe(1);
      });
    });
  });
});
