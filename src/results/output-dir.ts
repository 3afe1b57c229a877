import { constants } from 'node:fs';
import { mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { OutputConfig } from '../plan/output.js';

/** Files a run leaves in its folder; a folder holding any of them holds a run. */
export const RUN_FILES = [
  'results.jsonl',
  'results.jsonl.gz',
  'report.json',
  'plan.json',
  'run.json',
  'shard.json',
  'junit.xml',
  'report.html',
] as const;

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'part of the path is a file, not a folder';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  return (err as Error).message;
}

/** Whether `path` is missing, a folder or a file (the rebuild checks its inputs with it too). */
export async function kindOf(path: string): Promise<'missing' | 'dir' | 'file'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Proves the folder takes a new file: permission bits alone lie (root ignores them; read-only mounts). */
async function checkWritable(dir: string): Promise<void> {
  const probe = join(dir, `.stepbench-write-check-${process.pid}`);
  try {
    const handle = await open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    await handle.close();
    await unlink(probe);
  } catch (err) {
    throw new UserError(`cannot write to the output folder ${dir}: ${reason(err)}`);
  }
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/**
 * A fresh folder for a run without `--out`, created exclusively: two runs started in the same
 * second get `…_10-00-00` and `…_10-00-00-2`, never one shared folder.
 */
async function createFresh(prefix: string, date: Date): Promise<string> {
  const base = `${prefix}${timestamp(date)}`;
  try {
    await mkdir(dirname(base), { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create the output folder ${dirname(base)}: ${reason(err)}`);
  }
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`cannot create the output folder ${dir}: ${reason(err)}`);
      }
    }
  }
}

async function earlierRunFiles(dir: string): Promise<string[]> {
  const names = new Set(await readdir(dir));
  return RUN_FILES.filter((f) => names.has(f));
}

/**
 * Makes the output folder ready before the first request is sent, so that nothing is spent on a
 * run whose results could not be written: it exists, is a folder, takes new files, and holds no
 * earlier run unless the user said to resume or overwrite it. Returns the folder.
 */
export async function prepareOutputDir(output: OutputConfig, date = new Date()): Promise<string> {
  if (output.dir === undefined) {
    const dir = await createFresh(output.defaultPrefix, date);
    await checkWritable(dir);
    return dir;
  }
  const dir = output.dir;
  const kind = await kindOf(dir);
  if (kind === 'file') throw new UserError(`the output folder ${dir} is a file: pass a folder to --out`);
  if (output.mode === 'resume') {
    const files = kind === 'missing' ? [] : await earlierRunFiles(dir);
    if (!files.includes('results.jsonl') && !files.includes('results.jsonl.gz'))
      throw new UserError(`nothing to resume: ${join(dir, 'results.jsonl')} (or .gz) does not exist`);
  } else if (kind === 'dir') {
    const earlier = await earlierRunFiles(dir);
    if (earlier.length > 0 && output.mode === 'new') {
      throw new UserError(
        `${dir} already holds a run (${earlier.join(', ')}): pass --resume ${dir} to continue it, ` +
          '--overwrite to replace it, or another --out',
      );
    }
    for (const f of earlier) await rm(join(dir, f), { force: true });
  } else {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new UserError(`cannot create the output folder ${dir}: ${reason(err)}`);
    }
  }
  await checkWritable(dir);
  return dir;
}
