import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CLI, cliBuilt } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

const DIR = 'examples/kubernetes';

async function manifests(file: string): Promise<Record<string, unknown>[]> {
  const docs = parseAllDocuments(await readFile(join(DIR, file), 'utf8'));
  return docs.map((d) => d.toJS() as Record<string, unknown>);
}

type JobSpec = {
  completionMode?: string;
  completions?: number;
  parallelism?: number;
  template: {
    spec: {
      containers: Array<{
        name: string;
        command: string[];
        args: string[];
        env?: Array<{ name: string; value?: string }>;
      }>;
    };
  };
};

/** The container's shell script as a local process runs it: stepbench from this checkout, the volumes as folders. */
function localScript(script: string, data: string, results: string): string {
  return script
    .replaceAll('npx --yes stepbench', `"${process.execPath}" "${CLI}"`)
    .replaceAll('/data/', `${data}/`)
    .replaceAll('/results/', `${results}/`)
    .replaceAll('"/results', `"${results}`);
}

function sh(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('examples/kubernetes', () => {
  it('every manifest is valid against the Kubernetes API schema', async () => {
    const kinds: Record<string, (o: never) => { validate(): void }> = {
      ConfigMap: (o) => new ConfigMap(o),
      PersistentVolumeClaim: (o) => new PersistentVolumeClaim(o),
      Job: (o) => new Job(o),
    };
    const seen: string[] = [];
    for (const file of ['dataset.yaml', 'results-volume.yaml', 'shards-job.yaml', 'merge-job.yaml']) {
      for (const doc of await manifests(file)) {
        const make = kinds[String(doc.kind)];
        expect(make, `${file}: kind ${String(doc.kind)}`).toBeDefined();
        expect(() => make?.(doc as never).validate(), file).not.toThrow();
        seen.push(`${String(doc.kind)}/${String((doc.metadata as { name: string }).name)}`);
      }
    }
    expect(seen).toEqual([
      'ConfigMap/stepbench-dataset',
      'PersistentVolumeClaim/stepbench-results',
      'Job/stepbench-shards',
      'Job/stepbench-merge',
    ]);
  });

  it('the shards Job is Indexed with completions = parallelism = --shards', async () => {
    const [job] = await manifests('shards-job.yaml');
    const spec = (job as { spec: JobSpec }).spec;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.completions).toBe(spec.parallelism);
    const script = spec.template.spec.containers[0]?.args[0] ?? '';
    expect(script).toContain(`--shard auto --shards ${spec.completions}`);
    const [merge] = await manifests('merge-job.yaml');
    const mergeScript = (merge as { spec: JobSpec }).spec.template.spec.containers[0]?.args[0] ?? '';
    for (let i = 0; i < (spec.completions ?? 0); i++) expect(mergeScript).toContain(`/results/shard-${i}`);
  });

  it('runs as the Job would: 4 pods (JOB_COMPLETION_INDEX 0…3) against one server, then the merge', async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    const root = await mkdtemp(join(tmpdir(), 'stepbench-k8s-'));
    const data = join(root, 'data');
    const results = join(root, 'results');
    await mkdir(data);
    await mkdir(results);
    const [configMap] = await manifests('dataset.yaml');
    const prompts = (configMap as { data: Record<string, string> }).data['prompts.jsonl'] ?? '';
    await writeFile(join(data, 'prompts.jsonl'), prompts);
    const rows = prompts.trim().split('\n').length;
    const [job] = await manifests('shards-job.yaml');
    const container = (job as { spec: JobSpec }).spec.template.spec.containers[0];
    const script = localScript(container?.args[0] ?? '', data, results);
    const [merge] = await manifests('merge-job.yaml');
    const mergeScript = localScript(
      (merge as { spec: JobSpec }).spec.template.spec.containers[0]?.args[0] ?? '',
      data,
      results,
    );
    await withMock({ seed: 5, ttftMs: 1, interTokenMs: 0 }, async (mock) => {
      // The environment the Job gives each pod: its index, the secret, the manifest's own values.
      const pods = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          sh(script, {
            JOB_COMPLETION_INDEX: String(i),
            STEP_API_KEY: 'test-key',
            BASE_URL: mock.url,
            START_AT: '',
          }),
        ),
      );
      // The mock's answers are filler words: the rows' checks fail, which is exit 1, not an error.
      for (const p of pods) expect([0, 1], p.out).toContain(p.code);
      const merged = await sh(mergeScript, {});
      expect([0, 1], merged.out).toContain(merged.code);
      expect(merged.out).toMatch(/merged 4 shards/);
    });
    const report = JSON.parse(await readFile(join(results, 'merged', 'report.json'), 'utf8'));
    expect(report.targets[0].summary.requests).toBe(rows);
    expect(report.merged.shards.map((s: { index: number }) => s.index)).toEqual([0, 1, 2, 3]);
  }, 120_000);
});
