import { UserError } from '../errors.js';
import type { Random } from '../random.js';

/** A delay distribution in milliseconds. A bare number is a constant delay. */
export type Dist =
  | number
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'exponential'; mean: number };

/** Draws one delay (ms, never negative) from `dist` using `random`. */
export function sampleDist(dist: Dist, random: Random): number {
  if (typeof dist === 'number') return dist;
  switch (dist.kind) {
    case 'uniform':
      return dist.min + (dist.max - dist.min) * random();
    case 'normal': {
      // Box–Muller; 1 - u keeps the log argument in (0, 1].
      const u = 1 - random();
      const v = random();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(0, dist.mean + dist.sd * z);
    }
    case 'exponential':
      return -dist.mean * Math.log(1 - random());
  }
}

/** The mean of a distribution (normal ignores the clamp at 0, close enough for sizing). */
export function distMean(dist: Dist): number {
  if (typeof dist === 'number') return dist;
  switch (dist.kind) {
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
    case 'exponential':
      return dist.mean;
  }
}

/** Returns a message describing what is wrong with `dist`, or undefined when it is valid. */
export function checkDist(dist: unknown): string | undefined {
  const nonNegative = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (typeof dist === 'number') return nonNegative(dist) ? undefined : 'must be a finite number >= 0';
  if (!dist || typeof dist !== 'object') return 'must be a number or { kind, ... }';
  const d = dist as Record<string, unknown>;
  switch (d.kind) {
    case 'uniform':
      if (!nonNegative(d.min) || !nonNegative(d.max)) return 'uniform needs min and max >= 0';
      return d.min <= d.max ? undefined : 'uniform needs min <= max';
    case 'normal':
      return nonNegative(d.mean) && nonNegative(d.sd) ? undefined : 'normal needs mean and sd >= 0';
    case 'exponential':
      return nonNegative(d.mean) ? undefined : 'exponential needs mean >= 0';
    default:
      return `unknown kind ${JSON.stringify(d.kind)} (use uniform, normal or exponential)`;
  }
}

const DIST_SYNTAX = 'use N, uniform:MIN:MAX, normal:MEAN:SD or exp:MEAN (milliseconds)';

/**
 * Parses the command-line spelling of a distribution: `20`, `uniform:10:30`, `normal:20:5`,
 * `exp:20` (or `exponential:20`). Throws a UserError naming `what` when it does not parse.
 */
export function parseDist(text: string, what = 'distribution'): Dist {
  const parts = text.trim().split(':');
  const numbers = parts.slice(1).map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const head = parts[0]?.trim().toLowerCase() ?? '';
  let dist: Dist | undefined;
  if (parts.length === 1 && head !== '' && Number.isFinite(Number(head))) dist = Number(head);
  else if (head === 'uniform' && numbers.length === 2)
    dist = { kind: 'uniform', min: numbers[0]!, max: numbers[1]! };
  else if (head === 'normal' && numbers.length === 2)
    dist = { kind: 'normal', mean: numbers[0]!, sd: numbers[1]! };
  else if ((head === 'exp' || head === 'exponential') && numbers.length === 1)
    dist = { kind: 'exponential', mean: numbers[0]! };
  if (dist === undefined) throw new UserError(`${what}: cannot parse "${text}": ${DIST_SYNTAX}`);
  const problem = checkDist(dist);
  if (problem) throw new UserError(`${what}: "${text}" ${problem}`);
  return dist;
}
