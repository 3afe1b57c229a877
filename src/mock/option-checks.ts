import { UserError } from '../errors.js';

/** Shared by the mock's option validators: an integer in [min, max]. */
export const isInt = (x: unknown, min: number, max = Number.MAX_SAFE_INTEGER): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

/** Throws the UserError every bad mock option gets: which option, what is wrong, what was given. */
export function fail(option: string, problem: string, value: unknown): never {
  throw new UserError(`mock option ${option} ${problem} (got ${JSON.stringify(value)})`);
}
