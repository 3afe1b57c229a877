import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { inShard } from '../plan/shard.js';
import { type RebuildOutcome, rebuildReports } from '../rebuild/rebuild.js';
import { type RunFile, readRunFile, writeRunFile } from '../report/run-file.js';
import type { ReportMerged } from '../report/schema.js';
import { readResults } from '../results/reader.js';
import { findResultsFile, resultsFileName } from '../results/results-file.js';
import { readShardManifest, type ShardManifest } from '../results/shard-manifest.js';
import type { AttemptRecord, JobResult } from '../results/types.js';
import { ResultsWriter } from '../results/writer.js';

export interface MergeOptions {
  /** The merged run's folder: must be new or empty of runs. */
  out: string;
  /** Write the merged results gzip-compressed. */
  resultsGzip?: boolean;
  now?: Date;
}

interface ShardInput {
  dir: string;
  manifest: ShardManifest;
  saved: RunFile;
  resultsPath: string;
  /** Wall-clock ms of the shard's clock zero: its results' times are relative to it. */
  zeroMs: number;
}

async function readShard(dir: string): Promise<ShardInput> {
  const manifest = await readShardManifest(dir);
  const saved = await readRunFile(dir);
  if (!saved)
    throw new UserError(`${dir}: no run.json: a shard folder holds the run.json its run wrote first`);
  const resultsPath = findResultsFile(dir);
  if (!resultsPath)
    throw new UserError(
      `${dir}: no results.jsonl (nor .gz): the shard sent nothing, or this is not its folder`,
    );
  return { dir, manifest, saved, resultsPath, zeroMs: Date.parse(saved.startedAt) - saved.clockAtStartMs };
}

/** Every shard of one plan, each exactly once: anything else is an error naming the folders. */
function checkShardSet(shards: readonly ShardInput[]): void {
  const [first] = shards;
  if (!first) throw new UserError('stepbench merge needs the shard folders to merge');
  for (const s of shards) {
    if (s.manifest.count !== first.manifest.count)
      throw new UserError(
        `${s.dir} is shard ${s.manifest.index} of ${s.manifest.count}, but ${first.dir} is one of ${first.manifest.count}: not the same split`,
      );
    if (s.manifest.plan !== first.manifest.plan)
      throw new UserError(
        `${s.dir} is a shard of another plan than ${first.dir} (datasets, targets, load, limits or SLOs differ: plan ${s.manifest.plan.slice(0, 12)} vs ${first.manifest.plan.slice(0, 12)})`,
      );
  }
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const other = byIndex.get(s.manifest.index);
    if (other)
      throw new UserError(
        `shard ${s.manifest.index}/${s.manifest.count} is given twice: ${other} and ${s.dir}`,
      );
    byIndex.set(s.manifest.index, s.dir);
  }
  const missing = Array.from({ length: first.manifest.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new UserError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.manifest.count}`).join(', ')} missing: merge needs every shard of the run (give all ${first.manifest.count} folders)`,
    );
}

async function checkOut(out: string, shards: readonly ShardInput[]): Promise<void> {
  for (const s of shards)
    if (resolve(s.dir) === resolve(out))
      throw new UserError(`--out ${out} is one of the shards: merge into a new folder`);
  try {
    if (!(await stat(out)).isDirectory()) throw new UserError(`--out ${out} is a file: pass a folder`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    return;
  }
  if (findResultsFile(out)) throw new UserError(`--out ${out} already holds a run: merge into a new folder`);
}

const shifted = (t: number | undefined, by: number) => (t === undefined ? undefined : t + by);

/** A result's times moved onto the merged run's clock; durations are differences and stay exact. */
function onMergedClock(r: JobResult, by: number): JobResult {
  if (by === 0) return r;
  const times = { ...r.times };
  for (const k of Object.keys(times) as (keyof JobResult['times'])[]) {
    const v = shifted(times[k], by);
    if (v !== undefined) times[k] = v;
  }
  const attempts = r.attempts.map((a): AttemptRecord => {
    const moved: AttemptRecord = { ...a, sentAt: a.sentAt + by, endAt: a.endAt + by };
    if (a.headersAt !== undefined) moved.headersAt = a.headersAt + by;
    if (a.firstTokenAt !== undefined) moved.firstTokenAt = a.firstTokenAt + by;
    return moved;
  });
  return { ...r, times, attempts };
}

/**
 * `stepbench merge <dir…> --out DIR` (issue 12): the shards of one `--shard` run as one run.
 * Results are concatenated — every result checked to belong to its shard's slice, so no job can
 * come twice — with their times moved onto one wall-clock timeline (the earliest shard's start
 * is 0); then every report is rebuilt from the merged results (`stepbench report`), so the merged
 * histograms are the histograms of the concatenated results, bucket for bucket, and the counters
 * their sums. Streams: memory does not grow with the number of results.
 */
export async function mergeShards(dirs: readonly string[], options: MergeOptions): Promise<RebuildOutcome> {
  const shards: ShardInput[] = [];
  for (const dir of dirs) shards.push(await readShard(dir));
  checkShardSet(shards);
  shards.sort((a, b) => a.manifest.index - b.manifest.index);
  await checkOut(options.out, shards);
  await mkdir(options.out, { recursive: true });
  const origin = Math.min(...shards.map((s) => s.zeroMs));
  const writer = await ResultsWriter.open(
    resolve(options.out, resultsFileName(options.resultsGzip ?? false)),
  );
  const perShard: ReportMerged['shards'] = [];
  try {
    for (const s of shards) {
      const by = s.zeroMs - origin;
      const shard = { index: s.manifest.index, count: s.manifest.count };
      let jobs = 0;
      for await (const r of readResults(s.resultsPath)) {
        if (!inShard(r.key, shard))
          throw new UserError(
            `${s.resultsPath}: job ${r.key} does not belong to shard ${shard.index}/${shard.count}: the folder holds results of another split`,
          );
        writer.write(onMergedClock(r, by));
        jobs++;
      }
      perShard.push({
        dir: s.dir,
        index: shard.index,
        startedAt: s.manifest.startedAt,
        ...(s.manifest.endedAt ? { endedAt: s.manifest.endedAt } : {}),
        ...(s.manifest.startLateMs !== undefined ? { startLateMs: s.manifest.startLateMs } : {}),
        offsetMs: Math.round(by),
        results: jobs,
      });
    }
  } finally {
    await writer.close();
  }
  const first = shards[0] as ShardInput;
  const { shard: _shard, resumed: _resumed, ...base } = first.saved;
  // The merged run is no shard: its settings lose the split (each shard's rate was 1/N of this one's).
  const { shard: _s, shards: _n, startAt: _t, ...settings } = base.options;
  const merged: RunFile = {
    ...base,
    options: { ...settings, mergedFrom: shards.map((s) => s.dir) },
    id: options.out,
    startedAt: new Date(origin).toISOString(),
    clockAtStartMs: 0,
    merged: { count: first.manifest.count, shards: perShard },
  };
  await writeRunFile(options.out, merged);
  return rebuildReports(options.out, options.now ? { now: options.now } : {});
}
