import { MetricsCollector } from '../../src/metrics/collector.js';
import { DEFAULT_PRICES } from '../../src/plan/prices.js';
import type { ReportInput } from '../../src/report/json.js';
import { makeResult } from '../metrics/job-result-factory.js';

/** A two-target run: a priced StepFun model with some errors, and an unpriced one. */
export function sampleReportInput(): ReportInput {
  const price = DEFAULT_PRICES['step-3.5-flash'];
  const collector = new MetricsCollector([{ name: 'step-3.5-flash', price }, { name: 'local-vllm' }]);
  for (let i = 0; i < 50; i++) {
    collector.add(
      makeResult({
        scheduledAt: i * 100,
        ttfb: 80 + i,
        ttft: 120 + i * 3,
        ttfa: 900 + i * 5,
        e2e: 2000 + i * 20,
        itl: [10, 12, 15, 30],
        usage: { promptTokens: 300, completionTokens: 200, totalTokens: 500, cachedTokens: 100 },
      }),
    );
  }
  collector.add(makeResult({ outcome: 'rate_limited', status: 429, e2e: 15, queue: 2000 }));
  collector.add(makeResult({ outcome: 'length', usage: { completionTokens: 1024, totalTokens: 1124 } }));
  for (let i = 0; i < 5; i++) {
    collector.add(
      makeResult({
        target: 'local-vllm',
        model: 'qwen3-8b',
        ttft: 40,
        e2e: 800,
        usage: { source: 'estimated', reasoningTokens: 30 },
      }),
    );
  }
  return {
    collector,
    run: {
      id: 'run-20250101-abc',
      startedAt: '2025-01-01T00:00:00.000Z',
      endedAt: '2025-01-01T00:00:07.500Z',
      wallMs: 7500,
      command: ['stepbench', 'run', 'prompts.csv', '--mock'],
      stepbenchVersion: '0.1.0',
      options: { concurrency: 4 },
    },
    targets: [
      {
        name: 'step-3.5-flash',
        model: 'step-3.5-flash',
        baseUrl: 'http://127.0.0.1:1234/v1',
        apiKeyEnv: 'STEP_API_KEY',
        stream: true,
        params: { max_tokens: 1024 },
        headers: { 'x-team': 'bench' },
        price,
      },
      {
        name: 'local-vllm',
        model: 'qwen3-8b',
        baseUrl: 'http://127.0.0.1:8000/v1',
        apiKeyEnv: 'VLLM_KEY',
        stream: false,
        params: {},
        headers: {},
      },
    ],
    dataset: {
      files: ['prompts.csv'],
      rows: 57,
      badRows: [{ file: 'prompts.csv', line: 9, reason: 'empty prompt' }],
    },
    environment: { node: 'v20.20.0', platform: 'linux', arch: 'x64', cpus: 2 },
    generatedAt: '2025-01-01T00:00:08.000Z',
  };
}
