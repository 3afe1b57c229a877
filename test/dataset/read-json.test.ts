import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import { badRows, fixture, goodRows, readAll, readRows, rejection, tempFile } from './helpers.js';

describe('readDataset on JSONL', () => {
  it('skips blank lines and fails on a broken line with its line number and what JSON.parse said', async () => {
    const error = await rejection(readAll(fixture('broken.jsonl')));
    expect(error).toBeInstanceOf(DatasetError);
    const { line, reason } = error as DatasetError;
    expect(line).toBe(4);
    expect(reason).toMatch(/^invalid JSON/);
    expect(reason).toMatch(/Unexpected token 'b'/);
    expect(error.message).toContain('broken.jsonl:4:');
  });

  it('with skip, records the broken line and keeps reading', async () => {
    const items = await readAll(fixture('broken.jsonl'), { onBadRow: 'skip' });
    expect(goodRows(items).map((row) => [row.id, row.source.line])).toEqual([
      ['a', 1],
      ['c', 5],
    ]);
    expect(badRows(items).map((bad) => bad.line)).toEqual([4]);
    expect(items.map((item) => item.kind)).toEqual(['row', 'bad', 'row']);
  });

  it('keeps JSON types and reads params objects, expected, assertions and extra fields', async () => {
    const file = tempFile(
      'typed.jsonl',
      `${JSON.stringify({
        id: 7,
        messages: [{ role: 'user', content: 'Capital of France?' }],
        expected: 'Paris',
        assertions: [{ type: 'contains', value: 'Paris' }],
        params: { temperature: 0, stop: ['\n'], logprobs: true },
        max_tokens: 8,
        tags: ['geo', 'easy'],
        difficulty: 1,
      })}\r\n`,
    );
    const [row] = await readRows(file);
    expect(row!.id).toBe('7');
    expect(row!.params).toEqual({ temperature: 0, stop: ['\n'], logprobs: true, max_tokens: 8 });
    expect(row!.expected).toBe('Paris');
    expect(row!.assertions).toEqual([{ type: 'contains', value: 'Paris' }]);
    expect(row!.tags).toEqual(['geo', 'easy']);
    expect(row!.vars).toEqual({ difficulty: 1 });
  });

  it('rejects rows that are not requests', async () => {
    const lines = [
      { id: 'none', question: 'no prompt column' },
      { id: 'empty', prompt: '   ' },
      { id: 'notarray', messages: 'hi' },
      { id: 'emptyarray', messages: [] },
      { id: 'role', messages: [{ role: 'robot', content: 'x' }] },
      { id: 'nocontent', messages: [{ role: 'user' }] },
      { id: 'both', prompt: 'a', messages: [{ role: 'user', content: 'b' }] },
      { id: 'strnum', prompt: 'a', max_tokens: '256' },
      { id: 'twice', prompt: 'a', max_tokens: 5, params: { max_tokens: 6 } },
      [1, 2],
      { id: 'ok', prompt: 'fine' },
    ];
    const file = tempFile('bad.jsonl', lines.map((line) => JSON.stringify(line)).join('\n'));
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(goodRows(items).map((row) => row.id)).toEqual(['ok']);
    const reasons = badRows(items).map((bad) => `${bad.line} ${bad.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^1 the row has neither a prompt nor messages \(its columns: id, question\)/),
      '2 the prompt is empty',
      expect.stringMatching(/^3 messages must be a non-empty array/),
      expect.stringMatching(/^4 messages must be a non-empty array/),
      expect.stringMatching(
        /^5 messages\[0\]\.role must be one of system, user, assistant, tool, got "robot"/,
      ),
      '6 messages[0] has no content',
      '7 the row has both prompt and messages: use one of them',
      '8 max_tokens must be a number, got "256"',
      '9 max_tokens is set both as a column and inside params: keep one',
      '10 each JSONL line must be a JSON object, got an array',
    ]);
  });
});

describe('readDataset on a JSON array', () => {
  it('streams elements with nested arrays and strings holding ] and \\" and knows their lines', async () => {
    const rows = await readRows(fixture('nested.json'));
    expect(rows.map((row) => [row.id, row.source.line])).toEqual([
      ['n1', 2],
      ['n2', 11],
      ['n3', 12],
    ]);
    expect(rows[0]!.messages[1]!.content).toBe('Is ] a bracket? She said "yes]" and left \\');
    expect(rows[0]!.params).toEqual({ max_tokens: 50, stop: [']', '\n'] });
    expect(rows[1]!.messages[0]!.content).toBe('数组里的字符串 "[{" 不算结构');
    expect(rows[1]!.vars).toEqual({ meta: { list: [[1, 2], { x: ']' }] } });
  });

  it('reports a broken element as a bad row and reads the rest', async () => {
    const file = tempFile(
      'mixed.json',
      '[\n{"id":"a","prompt":"x"},\n{"id":"b","prompt":tru},\n{"id":"c","prompt":"z"},\n]\n',
    );
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(goodRows(items).map((row) => row.id)).toEqual(['a', 'c']);
    expect(badRows(items).map((bad) => bad.line)).toEqual([3, 5]);
    expect(badRows(items)[1]!.reason).toMatch(/trailing comma/);
  });

  it('fails on a file that is not one array, even when skipping', async () => {
    const notArray = tempFile('object.json', '\n{"id":"a","prompt":"x"}\n');
    const error = await rejection(readAll(notArray, { onBadRow: 'skip' }));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).line).toBe(2);
    expect(error.message).toMatch(/\.jsonl/);

    const unclosed = tempFile('unclosed.json', '[{"id":"a","prompt":"x"},\n{"id":"b","prompt":"y"');
    const unclosedError = await rejection(readAll(unclosed, { onBadRow: 'skip' }));
    expect((unclosedError as DatasetError).line).toBe(2);
    expect(unclosedError.message).toMatch(/never ends/);

    const trailing = tempFile('trailing.json', '[]\n[]');
    expect((await rejection(readAll(trailing))).message).toMatch(/after the closing/);
  });

  it('reads an empty array as no rows', async () => {
    expect(await readAll(tempFile('empty.json', ' [ ] \n'))).toEqual([]);
  });
});

describe('readDataset on OpenAI Batch-API input', () => {
  it('is detected from the first row and keeps the request verbatim', async () => {
    const rows = await readRows(fixture('batch.jsonl'));
    expect(rows.map((row) => row.id)).toEqual(['req-1', 'req-2']);
    expect(rows[0]!.messages).toEqual([{ role: 'user', content: 'What is 2+2? Keep {{braces}}.' }]);
    expect(rows[0]!.params).toEqual({ max_tokens: 16 });
    expect(rows[0]!.vars).toEqual({ model: 'step-3.5-flash' });
    expect(rows[1]!.params).toEqual({ temperature: 0.2 });
    expect(rows[1]!.messages[1]).toEqual({ role: 'user', content: '你好' });
  });

  it('can be forced with format "batch" and rejects lines that are not chat completions', async () => {
    const file = tempFile(
      'requests.txt',
      [
        { custom_id: 'e', method: 'POST', url: '/v1/embeddings', body: { input: 'x' } },
        { method: 'POST', url: '/v1/chat/completions', body: { messages: [{ role: 'user', content: 'x' }] } },
        { custom_id: 'ok', body: { messages: [{ role: 'user', content: 'x' }] } },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const items = await readAll(file, { format: 'batch', onBadRow: 'skip' });
    expect(goodRows(items).map((row) => row.id)).toEqual(['ok']);
    expect(badRows(items).map((bad) => bad.reason)).toEqual([
      expect.stringMatching(/\/v1\/embeddings" is not \/v1\/chat\/completions/),
      expect.stringMatching(/needs a non-empty string "custom_id"/),
    ]);
  });
});
