import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { type PlanFingerprint, planDifferences } from '../plan/fingerprint.js';

/** `plan.json`: written before the first request, so a crashed run can still be checked on resume. */
export interface PlanFile {
  v: 1;
  fingerprint: PlanFingerprint;
}

export const PLAN_FILE = 'plan.json';

export async function writePlanFile(dir: string, fingerprint: PlanFingerprint): Promise<void> {
  const file: PlanFile = { v: 1, fingerprint };
  await writeFile(join(dir, PLAN_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** Refuses a `--resume` whose plan is not the one the folder's run was started with, saying what differs. */
export async function checkResumedPlan(dir: string, current: PlanFingerprint): Promise<void> {
  const path = join(dir, PLAN_FILE);
  let recorded: PlanFile;
  try {
    recorded = JSON.parse(await readFile(path, 'utf8')) as PlanFile;
  } catch {
    throw new UserError(
      `cannot resume ${dir}: ${path} is missing or unreadable, so there is no way to check that this is the same run`,
    );
  }
  const differences = planDifferences(recorded.fingerprint ?? {}, current);
  if (differences.length > 0) {
    throw new UserError(
      `cannot resume ${dir}: this run's plan differs from the one it was started with:\n  - ${differences.join('\n  - ')}\n` +
        'Resume with the same datasets, targets and flags, or start a new run with another --out.',
    );
  }
}
