import { expect } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { checkAssertion } from '../../../src/eval/assertions/evaluate.js';
import type { AssertionContext, AssertionResult } from '../../../src/eval/assertions/types.js';
import { validateAssertions } from '../../../src/eval/assertions/validate.js';

/** Validates one raw assertion and runs it on `output` (or a fuller context). */
export async function run(
  raw: Record<string, unknown>,
  output: string | AssertionContext,
): Promise<AssertionResult> {
  const [spec] = validateAssertions([raw]);
  const ctx = typeof output === 'string' ? { output } : output;
  return checkAssertion(spec!, ctx);
}

export async function passes(
  raw: Record<string, unknown>,
  output: string | AssertionContext,
): Promise<AssertionResult> {
  const result = await run(raw, output);
  expect(result.pass, result.reason).toBe(true);
  return result;
}

export async function fails(
  raw: Record<string, unknown>,
  output: string | AssertionContext,
): Promise<AssertionResult> {
  const result = await run(raw, output);
  expect(result.pass, result.reason).toBe(false);
  expect(result.score).toBeLessThan(1);
  return result;
}

/** The UserError message validating `specs` throws. */
export function invalid(specs: unknown, options: Parameters<typeof validateAssertions>[1] = {}): string {
  try {
    validateAssertions(specs, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`validateAssertions(${JSON.stringify(specs)}) did not throw`);
}
