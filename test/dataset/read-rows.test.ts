import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/dataset/read.js';
import { DatasetError, UserError } from '../../src/errors.js';
import { badRows, goodRows, readAll, readRows, rejection, tempFile } from './helpers.js';

const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n');

describe('readDataset row ids', () => {
  it('hashes rows without ids the same way on every read, independent of line number', async () => {
    const rows = [
      { prompt: 'Translate 你好 to English', max_tokens: 20 },
      { prompt: 'Translate 你好 to English', max_tokens: 30 },
    ];
    const first = await readRows(tempFile('a.jsonl', jsonl(rows)));
    const again = await readRows(tempFile('b.jsonl', `\n\n${jsonl([...rows].reverse())}`));
    expect(first[0]!.id).toMatch(/^h_[0-9a-f]{16}$/);
    expect(first[0]!.id).not.toBe(first[1]!.id);
    expect(again.map((row) => row.id)).toEqual([first[1]!.id, first[0]!.id]);
  });

  it('gives identical rows without ids deterministic #2 suffixes', async () => {
    const file = tempFile('same.csv', 'prompt,note\nsame,x\nsame,y\nsame,z\n');
    const ids = (await readRows(file)).map((row) => row.id);
    expect(ids[1]).toBe(`${ids[0]}#2`);
    expect(ids[2]).toBe(`${ids[0]}#3`);
  });

  it('rejects an explicit duplicate id, naming the line that had it first', async () => {
    const file = tempFile(
      'dup.jsonl',
      jsonl([
        { id: 'q1', prompt: 'a' },
        { id: 'q2', prompt: 'b' },
        { id: 'q1', prompt: 'c' },
      ]),
    );
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).line).toBe(3);
    expect((error as DatasetError).reason).toBe('duplicate id "q1" (first used on line 1)');
  });

  it('takes custom_id as the id', async () => {
    const [row] = await readRows(tempFile('c.jsonl', jsonl([{ custom_id: 'x-1', prompt: 'a' }])));
    expect(row!.id).toBe('x-1');
  });
});

describe('readDataset templates', () => {
  it('fills prompt, system and message contents from the row, stringifying JSON values', async () => {
    const file = tempFile(
      't.jsonl',
      jsonl([
        {
          id: 'p',
          system: 'You speak {{lang}}.',
          prompt: 'List {{count}} items from {{ list }}',
          lang: '中文',
          count: 3,
          list: ['a', 'b'],
        },
        {
          id: 'm',
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi {{who}}' }] }],
          who: 'Ann',
        },
      ]),
    );
    const [prompted, multimodal] = await readRows(file);
    expect(prompted!.messages).toEqual([
      { role: 'system', content: 'You speak 中文.' },
      { role: 'user', content: 'List 3 items from ["a","b"]' },
    ]);
    expect(prompted!.vars).toEqual({ lang: '中文', count: 3, list: ['a', 'b'] });
    expect(multimodal!.messages[0]!.content).toEqual([{ type: 'text', text: 'Hi Ann' }]);
  });

  it('reports a variable that names no column, and keeps escaped braces', async () => {
    const file = tempFile(
      't.csv',
      'id,prompt,city\na,Weather in {{town}}?,Paris\nb,Literal \\{{city}} vs {{city}},Rome\n',
    );
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(badRows(items)).toEqual([
      {
        file,
        line: 2,
        reason: "{{town}} in prompt names no column of this row; the row's columns are: id, city",
      },
    ]);
    expect(goodRows(items)[0]!.messages[0]!.content).toBe('Literal {{city}} vs Rome');
  });

  it('rejects a prompt that only becomes empty once filled', async () => {
    const error = await rejection(readAll(tempFile('e.csv', 'prompt,q\n{{q}},\n')));
    expect((error as DatasetError).reason).toBe('the prompt is empty once its templates are filled');
  });
});

describe('readDataset files', () => {
  it('says when the dataset does not exist, without a DatasetError', async () => {
    const error = await rejection(readAll('/nonexistent/dir/prompts.csv'));
    expect(error).toBeInstanceOf(UserError);
    expect(error).not.toBeInstanceOf(DatasetError);
    expect(error.message).toBe('dataset not found: /nonexistent/dir/prompts.csv');
  });

  it('names the file and the supported formats for an unknown extension', async () => {
    const file = tempFile('prompts.xlsx', 'x');
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/\.csv, \.jsonl, \.ndjson, \.json/);
  });

  it('detects formats from the extension, case-insensitively', () => {
    expect(detectFormat('a/b.CSV')).toBe('csv');
    expect(detectFormat('rows.ndjson')).toBe('jsonl');
    expect(detectFormat('rows.jsonl')).toBe('jsonl');
    expect(detectFormat('rows.json')).toBe('json');
    expect(() => detectFormat('rows.txt')).toThrow(UserError);
  });

  it('lets the format be forced for an unusual extension', async () => {
    const rows = await readRows(tempFile('rows.txt', '{"id":"a","prompt":"x"}\n'), { format: 'jsonl' });
    expect(rows.map((row) => row.id)).toEqual(['a']);
  });

  it('stops reading when the consumer stops early', async () => {
    const file = tempFile(
      'many.jsonl',
      jsonl(Array.from({ length: 1000 }, (_, i) => ({ id: `r${i}`, prompt: 'x' }))),
    );
    const seen: string[] = [];
    const { readDataset } = await import('../../src/dataset/read.js');
    for await (const item of readDataset(file)) {
      if (item.kind === 'row') seen.push(item.row.id);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['r0', 'r1', 'r2']);
  });
});

describe('readDataset on a directory', () => {
  it('says the path is a directory', async () => {
    const { dirname } = await import('node:path');
    const dir = dirname(tempFile('x.csv', 'prompt\nx\n'));
    const error = await rejection(readAll(dir, { format: 'csv' }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`dataset ${dir} is a directory, not a file`);
  });
});
