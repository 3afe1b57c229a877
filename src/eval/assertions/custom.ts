import { existsSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../../errors.js';
import { readJson, readText, show } from './spec-reader.js';
import type {
  AssertionSpec,
  AssertionType,
  CustomCheckFunction,
  CustomChecks,
  CustomSpec,
  Verdict,
} from './types.js';

const REFERENCE = /^file:(?:\/\/)?(.+?)(?:#([^#]*))?$/;
const JS_EXTENSIONS = new Set(['.mjs', '.js', '.cjs']);
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** The key a loaded function is found under: absolute file and export name. */
export function customKey(spec: Pick<CustomSpec, 'file' | 'name'>): string {
  return `${spec.file}#${spec.name}`;
}

/**
 * `custom`: `value: "file:./checks.mjs#name"` calls export `name` of that module (the default
 * export without `#name`), resolved against the directory of the file that declared it, as
 * `fn(output, ctx)`; `ctx.config` holds the spec's optional `config`. It returns true/false or
 * `{pass, score?, reason?}`, possibly as a promise. A throw or another answer fails the assertion.
 */
export const custom: AssertionType<CustomSpec> = {
  kinds: ['custom'],
  negatable: true,
  parse(_kind, fields) {
    const value = readText(fields);
    const match = REFERENCE.exec(value.trim());
    if (!match)
      return fields.fail(
        `value must be a module reference such as "file:./checks.mjs#name", got ${show(value)}`,
      );
    const written = match[1] as string;
    const name = match[2] === undefined || match[2] === '' ? 'default' : match[2];
    if (!EXPORT_NAME.test(name)) fields.fail(`"${name}" after # is not an export name`);
    const extension = extname(written).toLowerCase();
    if (!JS_EXTENSIONS.has(extension) && !TS_EXTENSIONS.has(extension)) {
      fields.fail(`${show(written)} is not a JavaScript module (.mjs, .js, .cjs) or TypeScript file`);
    }
    const file = isAbsolute(written) ? written : resolve(fields.baseDir, written);
    const config = fields.has('config') ? readJson(fields, 'config') : undefined;
    return config === undefined ? { value, file, name } : { value, file, name, config };
  },
  async check(spec, ctx, env) {
    const fn = env.customChecks.get(customKey(spec));
    if (!fn) throw new Error(`custom check ${spec.value} was not loaded (loadCustomChecks first)`);
    let answer: unknown;
    try {
      answer = await fn(ctx.output, spec.config === undefined ? { ...ctx } : { ...ctx, config: spec.config });
    } catch (error) {
      return {
        pass: false,
        reason: `${spec.value} threw: ${(error as Error)?.message ?? String(error)}`,
        undecided: true,
      };
    }
    return interpret(spec.value, answer);
  },
};

function interpret(reference: string, answer: unknown): Verdict {
  if (typeof answer === 'boolean') {
    return { pass: answer, reason: `${reference} returned ${answer}` };
  }
  if (
    answer !== null &&
    typeof answer === 'object' &&
    typeof (answer as { pass?: unknown }).pass === 'boolean'
  ) {
    const { pass, score, reason } = answer as { pass: boolean; score?: unknown; reason?: unknown };
    if (score !== undefined && (typeof score !== 'number' || !(score >= 0 && score <= 1))) {
      return {
        pass: false,
        reason: `${reference} returned score ${show(score)}, not between 0 and 1`,
        undecided: true,
      };
    }
    const text = typeof reason === 'string' && reason !== '' ? reason : `${reference} returned pass: ${pass}`;
    return typeof score === 'number' ? { pass, score, reason: text } : { pass, reason: text };
  }
  return {
    pass: false,
    reason: `${reference} returned ${show(answer)}; expected true/false or {pass, score?, reason?}`,
    undecided: true,
  };
}

function loadProblem(spec: CustomSpec, problem: string): UserError {
  return new UserError(`custom check ${spec.value}: ${problem}`);
}

/** The input error for a module that failed to import (exported for tests). */
export function importProblem(spec: CustomSpec, error: unknown): UserError {
  const code = (error as { code?: string } | null)?.code;
  const message = (error as Error | null)?.message ?? String(error);
  // Only the module itself: "Cannot find package 'x' imported from <file>" is the module's own problem.
  if (code === 'ERR_MODULE_NOT_FOUND' && !existsSync(spec.file)) {
    return loadProblem(spec, `cannot find ${spec.file}`);
  }
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && TS_EXTENSIONS.has(extname(spec.file).toLowerCase())) {
    return loadProblem(
      spec,
      `this Node (${process.version}) cannot load TypeScript directly: compile ${spec.file} to .mjs, or run stepbench under tsx`,
    );
  }
  return loadProblem(spec, `cannot load ${spec.file}: ${message}`);
}

async function importModule(spec: CustomSpec): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(spec.file).href)) as Record<string, unknown>;
  } catch (error) {
    throw importProblem(spec, error);
  }
}

/**
 * Imports every custom check among `specs` once (before any request) and returns them by
 * `customKey`. A missing file, a module that fails to load, or an export that is not a function is
 * a UserError naming the reference; the caller adds where it was declared.
 */
export async function loadCustomChecks(
  specs: readonly AssertionSpec[],
): Promise<Map<string, CustomCheckFunction>> {
  const checks = new Map<string, CustomCheckFunction>();
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  for (const spec of specs) {
    if (spec.kind !== 'custom' || checks.has(customKey(spec))) continue;
    let loading = modules.get(spec.file);
    if (!loading) {
      loading = importModule(spec);
      modules.set(spec.file, loading);
    }
    const exports = await loading;
    const fn = exports[spec.name];
    if (fn === undefined) {
      const names = Object.keys(exports).join(', ') || 'none';
      throw loadProblem(spec, `${spec.file} has no export "${spec.name}" (its exports: ${names})`);
    }
    if (typeof fn !== 'function') {
      throw loadProblem(spec, `export "${spec.name}" of ${spec.file} is a ${typeof fn}, not a function`);
    }
    checks.set(customKey(spec), fn as CustomCheckFunction);
  }
  return checks;
}

/** Adds to `loaded` whatever custom checks among `specs` it lacks. */
export async function withCustomChecks(
  specs: readonly AssertionSpec[],
  loaded: CustomChecks,
): Promise<CustomChecks> {
  const missing = specs.filter((spec) => spec.kind === 'custom' && !loaded.has(customKey(spec)));
  if (missing.length === 0) return loaded;
  return new Map([...loaded, ...(await loadCustomChecks(missing))]);
}
