import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { describeLoad } from './phases.js';
import type { RunConfig } from './run-config.js';
import type { Target } from './types.js';

/**
 * What makes two runs the same run: the jobs (dataset contents, targets, repeats) and the load
 * they were measured under (phases, limits, SLOs). `--resume` continues a run only when every
 * part matches, so a resumed report never mixes two plans. Left out on purpose: where the
 * endpoint lives (a restarted server may listen elsewhere), the key, and how hard to try
 * (retries, timeouts, error budget) — finishing a run with more retries is what
 * `--resume --retry-errors` is for.
 */
export type PlanFingerprint = Record<string, unknown>;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function planFingerprint(
  config: RunConfig,
  targets: readonly Target[],
): Promise<PlanFingerprint> {
  const datasets = [];
  for (const file of config.datasets) datasets.push({ file, sha256: await sha256(file) });
  return {
    datasets,
    dataset: config.dataset,
    targets: targets.map((t) => ({
      name: t.name,
      model: t.model,
      params: t.params,
      stream: t.stream,
      streamUsage: t.streamUsage,
      // The config's checks decide verdicts: a resumed run must not judge half its rows otherwise.
      ...(t.checks ? { checks: t.checks } : {}),
    })),
    plan: config.plan,
    phases: config.phases.map((p) => ({
      name: p.name,
      warmup: p.warmup,
      load: describeLoad(p.load),
      bounds: p.bounds,
    })),
    slos: config.slos.map((s) => s.text),
    limits: config.limits,
    // A shard resumes as the same shard: another index would take other jobs into this folder.
    ...(config.shard ? { shard: config.shard } : {}),
  };
}

const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

/** The parts that differ, each as `part: was … now …`; empty when the plans match. */
export function planDifferences(recorded: PlanFingerprint, current: PlanFingerprint): string[] {
  const parts = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  const out: string[] = [];
  for (const part of parts) {
    const was = recorded[part];
    const now = current[part];
    if (JSON.stringify(was) !== JSON.stringify(now))
      out.push(`${part}: was ${shown(was)}, now ${shown(now)}`);
  }
  return out;
}
