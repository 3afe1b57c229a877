import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows } from './helpers.js';

const DATASETS = new URL('../../datasets/', import.meta.url).pathname;

describe('shipped sample datasets', () => {
  it('smoke.csv: 10 rows, templates filled, multi-line summary intact', async () => {
    const rows = await readRows(join(DATASETS, 'smoke.csv'));
    expect(rows).toHaveLength(10);
    expect(rows[0]!.messages).toEqual([
      { role: 'system', content: '你是一位简洁的中文导游。' },
      { role: 'user', content: '用一句话介绍杭州。' },
    ]);
    expect(rows[0]!.params).toEqual({ max_tokens: 80 });
    expect(rows[0]!.tags).toEqual(['zh', 'intro']);
    const summary = rows.find((row) => row.id === 'summarise-notes')!;
    expect(summary.source.line).toBe(10);
    expect(summary.messages.at(-1)!.content).toContain('- Next sync: Monday 10:00.');
    expect(rows.at(-1)!.source.line).toBe(15);
    for (const row of rows) expect(JSON.stringify(row.messages)).not.toContain('{{');
  });

  it('regression.jsonl: 12 rows, each with a system prompt, an expected answer and tags', async () => {
    const rows = await readRows(join(DATASETS, 'regression.jsonl'));
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row.messages[0]!.role).toBe('system');
      expect(row.expected).toMatch(/\S/);
      expect(row.tags.length).toBeGreaterThan(0);
    }
    expect(rows.find((row) => row.id === 'capital-zhejiang')!.expected).toBe('杭州');
  });

  it('capacity.csv: 200 rows of mixed lengths, some with max_tokens', async () => {
    const rows = await readRows(join(DATASETS, 'capacity.csv'));
    expect(rows).toHaveLength(200);
    const lengths = rows.map((row) => String(row.messages.at(-1)!.content).length);
    expect(Math.min(...lengths)).toBeLessThan(40);
    expect(Math.max(...lengths)).toBeGreaterThan(500);
    const withMaxTokens = rows.filter((row) => typeof row.params.max_tokens === 'number').length;
    expect(withMaxTokens).toBeGreaterThan(20);
    expect(withMaxTokens).toBeLessThan(200);
    expect(rows.some((row) => row.tags.includes('zh')) && rows.some((row) => row.tags.includes('en'))).toBe(
      true,
    );
  });

  it('batch-example.jsonl: 5 Batch-API requests', async () => {
    const rows = await readRows(join(DATASETS, 'batch-example.jsonl'));
    expect(rows.map((row) => row.id)).toEqual([
      'batch-001',
      'batch-002',
      'batch-003',
      'batch-004',
      'batch-005',
    ]);
    expect(rows[2]!.params).toEqual({ response_format: { type: 'json_object' }, max_tokens: 80 });
  });
});
