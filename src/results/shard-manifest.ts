import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { PlanFingerprint } from '../plan/fingerprint.js';
import type { Shard } from '../plan/shard.js';

export const SHARD_MANIFEST = 'shard.json';

/**
 * `shard.json` in a shard's folder: which slice it is, of which plan, and when it ran. Written
 * before the first request and again at the end, so `stepbench merge` can tell a missing shard, a
 * duplicate and a shard of another plan apart, and align the shards by wall clock.
 */
export interface ShardManifest {
  v: 1;
  index: number;
  count: number;
  /** sha256 of the plan fingerprint without the shard: equal for every shard of one plan. */
  plan: string;
  /** `--start-at`, ISO 8601, when given. */
  startAt?: string;
  /** How long after `--start-at` this shard began sending (0 when it waited). */
  startLateMs?: number;
  /** Wall-clock span of the shard's run, ISO 8601; `endedAt` absent until it ended. */
  startedAt: string;
  endedAt?: string;
  /** Jobs this shard finished (written at the end). */
  jobs?: number;
}

/** The plan's identity shared by all its shards: the fingerprint with the shard taken out. */
export function planIdentity(fingerprint: PlanFingerprint): string {
  const { shard: _shard, ...plan } = fingerprint;
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}

export function shardManifest(
  shard: Shard,
  fingerprint: PlanFingerprint,
  times: { startedAt: Date; startAt?: number; startLateMs?: number; endedAt?: Date; jobs?: number },
): ShardManifest {
  return {
    v: 1,
    index: shard.index,
    count: shard.count,
    plan: planIdentity(fingerprint),
    ...(times.startAt !== undefined ? { startAt: new Date(times.startAt).toISOString() } : {}),
    ...(times.startLateMs !== undefined ? { startLateMs: Math.round(times.startLateMs) } : {}),
    startedAt: times.startedAt.toISOString(),
    ...(times.endedAt ? { endedAt: times.endedAt.toISOString() } : {}),
    ...(times.jobs !== undefined ? { jobs: times.jobs } : {}),
  };
}

export async function writeShardManifest(dir: string, manifest: ShardManifest): Promise<void> {
  await writeFile(join(dir, SHARD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads a shard folder's manifest; an error names the folder when it is missing or not one. */
export async function readShardManifest(dir: string): Promise<ShardManifest> {
  const path = join(dir, SHARD_MANIFEST);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UserError(`${path}: missing or unreadable: ${dir} is not the folder of a --shard run`);
  }
  const m = parsed as Partial<ShardManifest>;
  if (m.v !== 1 || !Number.isInteger(m.index) || !Number.isInteger(m.count) || typeof m.plan !== 'string') {
    throw new UserError(`${path}: not a stepbench shard manifest`);
  }
  return m as ShardManifest;
}
