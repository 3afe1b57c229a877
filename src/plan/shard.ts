import { UserError } from '../errors.js';
import { avalanche32, hashString } from '../random.js';
import type { ProfileSpec } from '../schedule/profile.js';
import type { Phase } from './phases.js';

/**
 * One of `count` processes that split a run between them (issue 12, DESIGN §9): each takes the
 * jobs whose key hashes to its index, so every row × target × repeat lands in exactly one shard
 * whatever the order of the dataset, and N copies need no coordination but the same flags.
 */
export interface Shard {
  /** 0-based, as Kubernetes numbers the pods of an Indexed Job. */
  index: number;
  count: number;
}

/** The variable Kubernetes sets in every pod of an Indexed Job (`completionMode: Indexed`). */
export const JOB_INDEX_ENV = 'JOB_COMPLETION_INDEX';

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/**
 * `--shard i/n` (0 ≤ i < n), or `--shard auto` with `--shards N`, which takes i from
 * JOB_COMPLETION_INDEX. Undefined when the run is not sharded.
 */
export function resolveShard(
  shard: string | undefined,
  shards: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Shard | undefined {
  if (shard === undefined) {
    if (shards !== undefined) throw new UserError('--shards N goes with --shard auto (or give --shard i/N)');
    return undefined;
  }
  const text = shard.trim();
  if (text === 'auto') {
    if (shards === undefined) {
      throw new UserError(
        `--shard auto needs --shards N: Kubernetes sets the pod's index (${JOB_INDEX_ENV}) but not the count; the manifest passes it`,
      );
    }
    const raw = env[JOB_INDEX_ENV];
    if (raw === undefined || raw.trim() === '') {
      throw new UserError(
        `--shard auto reads the shard index from ${JOB_INDEX_ENV}, which is not set: run it in a Kubernetes Indexed Job (completionMode: Indexed), set it yourself, or give --shard i/${shards}`,
      );
    }
    const index = whole(raw);
    if (!(index >= 0 && index < shards)) {
      throw new UserError(
        `${JOB_INDEX_ENV}=${raw} is not a shard index of --shards ${shards} (0 to ${shards - 1})`,
      );
    }
    return { index, count: shards };
  }
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
  if (!m)
    throw new UserError(`--shard '${shard}': expected i/N such as 0/4 (0-based), or auto with --shards N`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1)) throw new UserError(`--shard '${shard}': the shard count must be at least 1`);
  if (index >= count)
    throw new UserError(`--shard '${shard}': the index is 0-based, so it must be below ${count}`);
  if (shards !== undefined && shards !== count) {
    throw new UserError(`--shard ${text} and --shards ${shards} disagree on the number of shards`);
  }
  return { index, count };
}

/** Whether a job belongs to `shard`: by a hash of its key, so the split does not depend on order. */
export function inShard(jobKey: string, shard: Shard): boolean {
  return spread(hashString(jobKey)) % shard.count === shard.index;
}

/**
 * FNV-1a's low bits follow the low bits of the key's characters (its lowest bit is their parity),
 * so `% N` of the bare hash would split keys by their spelling, not evenly: mixed first.
 */
const spread = avalanche32;

/** `2/4` for messages and reports (0-based, like the flag). */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Each shard sends 1/N of an open-loop rate, so N shards together send the rate asked for; a
 * closed loop's concurrency is per shard (N shards keep N × c in flight), and the docs say so.
 */
export function shardPhases(phases: readonly Phase[], shard: Shard | undefined): Phase[] {
  if (!shard || shard.count === 1) return [...phases];
  const split = (p: ProfileSpec): ProfileSpec =>
    p.kind === 'constant'
      ? { kind: 'constant', value: p.value / shard.count }
      : { ...p, from: p.from / shard.count, to: p.to / shard.count };
  return phases.map((phase) =>
    phase.load.kind === 'open' ? { ...phase, load: { ...phase.load, rate: split(phase.load.rate) } } : phase,
  );
}
