import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { customKey, importProblem, loadCustomChecks } from '../../../src/eval/assertions/custom.js';
import { evaluateRow } from '../../../src/eval/assertions/evaluate.js';
import type { CustomSpec } from '../../../src/eval/assertions/types.js';
import { validateAssertions } from '../../../src/eval/assertions/validate.js';
import { invalid } from './helpers.js';

let dir: string;

const CHECKS = `
export function mentionsCity(output, ctx) {
  return output.includes(ctx.vars.city);
}
export async function scored(output, ctx) {
  return { pass: output.length <= ctx.config.max, score: 0.25, reason: 'length ' + output.length };
}
export function seesContext(output, ctx) {
  return { pass: ctx.finishReason === 'stop' && ctx.usage.completionTokens === 3 && ctx.expected === 'E' };
}
export function throws() {
  throw new Error('boom');
}
export function oddAnswer() {
  return 'yes';
}
export const notAFunction = 42;
export default (output) => output === 'default';
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stepbench-custom-'));
  writeFileSync(join(dir, 'checks.mjs'), CHECKS);
  writeFileSync(join(dir, 'broken.mjs'), 'export const x = ;');
  writeFileSync(join(dir, 'needs.mjs'), "import 'stepbench-no-such-package';\nexport const x = () => true;");
  writeFileSync(join(dir, 'checks.cjs'), 'module.exports.short = (output) => output.length < 5;');
  writeFileSync(join(dir, 'checks.ts'), 'export const t = (output: string): boolean => true;');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function evaluate(raw: Record<string, unknown>, output: string, extra: Record<string, unknown> = {}) {
  const specs = validateAssertions([raw], { baseDir: dir });
  return (await evaluateRow(specs, { output, ...extra })).results[0]!;
}

async function loadError(value: string): Promise<string> {
  const specs = validateAssertions([{ type: 'custom', value }], { baseDir: dir });
  try {
    await loadCustomChecks(specs);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`loading ${value} did not fail`);
}

describe('custom checks', () => {
  it('resolves file: references against the given directory', () => {
    const [spec] = validateAssertions([{ type: 'custom', value: 'file:./checks.mjs#mentionsCity' }], {
      baseDir: dir,
    });
    expect(spec).toMatchObject({ kind: 'custom', file: join(dir, 'checks.mjs'), name: 'mentionsCity' });
    const [url] = validateAssertions([{ type: 'custom', value: 'file://checks.mjs' }], { baseDir: dir });
    expect(url).toMatchObject({ file: join(dir, 'checks.mjs'), name: 'default' });
  });

  it('a boolean answer passes or fails', async () => {
    const pass = await evaluate({ type: 'custom', value: 'file:./checks.mjs#mentionsCity' }, 'in Paris', {
      vars: { city: 'Paris' },
    });
    expect(pass).toEqual({
      type: 'custom',
      pass: true,
      score: 1,
      reason: 'file:./checks.mjs#mentionsCity returned true',
    });
    const fail = await evaluate({ type: 'custom', value: 'file:./checks.mjs#mentionsCity' }, 'in Lyon', {
      vars: { city: 'Paris' },
    });
    expect(fail).toMatchObject({ pass: false, score: 0 });
  });

  it('an object answer gives pass, score and reason; config reaches the function', async () => {
    const result = await evaluate(
      { type: 'custom', value: 'file:./checks.mjs#scored', config: { max: 3 } },
      'abc',
    );
    expect(result).toEqual({ type: 'custom', pass: true, score: 0.25, reason: 'length 3' });
  });

  it('the function sees the whole context', async () => {
    const result = await evaluate({ type: 'custom', value: 'file:./checks.mjs#seesContext' }, 'x', {
      finishReason: 'stop',
      usage: { completionTokens: 3 },
      expected: 'E',
    });
    expect(result.pass).toBe(true);
  });

  it('the default export without #name, and CommonJS modules', async () => {
    expect((await evaluate({ type: 'custom', value: 'file:./checks.mjs' }, 'default')).pass).toBe(true);
    expect((await evaluate({ type: 'custom', value: 'file:./checks.cjs#short' }, 'abc')).pass).toBe(true);
  });

  it('a throw or an odd answer fails with a reason, also under not-', async () => {
    expect(await evaluate({ type: 'custom', value: 'file:./checks.mjs#throws' }, 'x')).toMatchObject({
      pass: false,
      reason: 'file:./checks.mjs#throws threw: boom',
    });
    expect((await evaluate({ type: 'not-custom', value: 'file:./checks.mjs#throws' }, 'x')).pass).toBe(false);
    expect((await evaluate({ type: 'custom', value: 'file:./checks.mjs#oddAnswer' }, 'x')).reason).toBe(
      'file:./checks.mjs#oddAnswer returned "yes"; expected true/false or {pass, score?, reason?}',
    );
    expect(
      (
        await evaluate({ type: 'not-custom', value: 'file:./checks.mjs#mentionsCity' }, 'x', {
          vars: { city: 'P' },
        })
      ).pass,
    ).toBe(true);
  });

  it('loads each module once, keyed by file and export', async () => {
    const specs = validateAssertions(
      [
        { type: 'custom', value: 'file:./checks.mjs#mentionsCity' },
        { type: 'custom', value: 'file:checks.mjs#scored' },
        { type: 'not-custom', value: 'file:./checks.mjs#mentionsCity' },
      ],
      { baseDir: dir },
    );
    const loaded = await loadCustomChecks(specs);
    expect([...loaded.keys()]).toEqual([
      customKey(specs[0] as CustomSpec),
      customKey(specs[1] as CustomSpec),
    ]);
  });

  it('load errors are input errors naming the reference', async () => {
    expect(await loadError('file:./missing.mjs#x')).toBe(
      `custom check file:./missing.mjs#x: cannot find ${join(dir, 'missing.mjs')}`,
    );
    expect(await loadError('file:./broken.mjs#x')).toMatch(
      new RegExp(`^custom check file:./broken.mjs#x: cannot load ${join(dir, 'broken.mjs')}: `),
    );
    const needs = await loadError('file:./needs.mjs#x');
    expect(needs).toMatch(/^custom check file:.\/needs.mjs#x: cannot load .*needs.mjs: /);
    expect(needs).toContain('stepbench-no-such-package');
    expect(await loadError('file:./checks.mjs#nope')).toMatch(
      /^custom check file:.\/checks.mjs#nope: .*checks.mjs has no export "nope" \(its exports: .*mentionsCity.*\)$/,
    );
    expect(await loadError('file:./checks.mjs#notAFunction')).toMatch(
      /export "notAFunction" of .* is a number, not a function$/,
    );
  });

  it('a TypeScript module loads under a TypeScript-aware loader, and Node 20’s refusal is explained', async () => {
    // vitest (like tsx) compiles .ts on import; plain Node 20 refuses it with ERR_UNKNOWN_FILE_EXTENSION.
    expect((await evaluate({ type: 'custom', value: 'file:./checks.ts#t' }, 'x')).pass).toBe(true);
    const [spec] = validateAssertions([{ type: 'custom', value: 'file:./checks.ts#t' }], { baseDir: dir });
    const refusal = Object.assign(new TypeError('Unknown file extension ".ts"'), {
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
    });
    const problem = importProblem(spec as CustomSpec, refusal);
    expect(problem).toBeInstanceOf(UserError);
    expect(problem.message).toBe(
      `custom check file:./checks.ts#t: this Node (${process.version}) cannot load TypeScript directly: compile ${join(dir, 'checks.ts')} to .mjs, or run stepbench under tsx`,
    );
  });

  it('a malformed reference is an input error at validation', () => {
    expect(invalid([{ type: 'custom', value: './checks.mjs#x' }])).toBe(
      'assert[0] (custom): value must be a module reference such as "file:./checks.mjs#name", got "./checks.mjs#x"',
    );
    expect(invalid([{ type: 'custom', value: 'file:./checks.py#x' }])).toBe(
      'assert[0] (custom): "./checks.py" is not a JavaScript module (.mjs, .js, .cjs) or TypeScript file',
    );
    expect(invalid([{ type: 'custom', value: 'file:./checks.mjs#1x' }])).toBe(
      'assert[0] (custom): "1x" after # is not an export name',
    );
  });
});
