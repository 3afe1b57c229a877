import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const SCHEMA = fileURLToPath(new URL('../fixtures/junit/jenkins-xunit-junit-10.xsd', import.meta.url));
const READER = fileURLToPath(new URL('../fixtures/junit/read-junit.py', import.meta.url));
/** Debian's python, where python3-junitparser installs; the python3 on PATH may be another one. */
const PYTHON = '/usr/bin/python3';

function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * The outside tools the JUnit tests check against (apt: libxml2-utils, python3-junitparser).
 * Locally a missing tool skips those tests; in CI (`CI` set, as .ci/run does) it fails them, so
 * the checks can never be skipped where it counts.
 */
export const junitTools = {
  xmllint: works('xmllint', ['--version']),
  junitparser: works(PYTHON, ['-c', 'import junitparser']),
  required: Boolean(process.env.CI),
};

export const canCheckJunit = (junitTools.xmllint && junitTools.junitparser) || junitTools.required;

function requireTools(): void {
  expect(junitTools.xmllint, 'xmllint is missing: apt-get install libxml2-utils').toBe(true);
  expect(junitTools.junitparser, 'junitparser is missing: apt-get install python3-junitparser').toBe(true);
}

/** xmllint's verdict on `path` against our transcription of the Jenkins xunit JUnit schema. */
export function validateJunit(path: string): { valid: boolean; output: string } {
  requireTools();
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, path], { encoding: 'utf8' });
  return { valid: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export interface ParsedCase {
  name: string;
  classname: string;
  time: number;
  results: Array<{ kind: string; message: string | null; type: string | null; text: string | null }>;
  systemOut: string | null;
}

export interface ParsedSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
  timestamp: string | null;
  cases: ParsedCase[];
}

/** `path` as junitparser reads it. */
export function readJunitWithJunitparser(path: string): ParsedSuite[] {
  requireTools();
  const json = execFileSync(PYTHON, [READER, path], { encoding: 'utf8' });
  return (JSON.parse(json) as { suites: ParsedSuite[] }).suites;
}
