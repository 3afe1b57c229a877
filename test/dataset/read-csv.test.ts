import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import { badRows, fixture, goodRows, readAll, readRows, rejection, tempFile } from './helpers.js';

describe('readDataset on CSV', () => {
  it('reads a BOM + CRLF file with quoted multi-line fields, templates and Chinese text intact', async () => {
    const rows = await readRows(fixture('bom-crlf.csv'));
    expect(rows.map((row) => row.id)).toEqual(['hz', 'plain', 'sum']);
    expect(rows.map((row) => row.source.line)).toEqual([2, 4, 5]);
    const [hangzhou, plain, summary] = rows;
    expect(hangzhou!.messages).toEqual([{ role: 'user', content: '用一句话介绍杭州。\r\n要求：不超过30字' }]);
    expect(hangzhou!.params).toEqual({ max_tokens: 64 });
    expect(hangzhou!.tags).toEqual(['zh', 'intro']);
    expect(hangzhou!.vars).toEqual({ city: '杭州' });
    expect(plain!.params).toEqual({});
    expect(plain!.tags).toEqual([]);
    expect(summary!.messages[0]!.content).toBe('Summarise:\r\n"quoted" line one\r\nline two\r\nline three');
    expect(summary!.tags).toEqual(['summary', 'en']);
  });

  it('gives the start line of records after multi-line fields in LF files too', async () => {
    const file = tempFile('lf.csv', 'id,prompt\na,"one\ntwo\nthree"\n\nb,"x\n\ny"\nc,z');
    const rows = await readRows(file);
    expect(rows.map((row) => [row.id, row.source.line])).toEqual([
      ['a', 2],
      ['b', 6],
      ['c', 9],
    ]);
  });

  it('names the line of a record with the wrong number of fields', async () => {
    const error = await rejection(readAll(fixture('wrong-columns.csv')));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).line).toBe(3);
    expect((error as DatasetError).reason).toMatch(/3 fields but the header has 2/);
  });

  it('skips a record with the wrong number of fields and reads on', async () => {
    const items = await readAll(fixture('wrong-columns.csv'), { onBadRow: 'skip' });
    expect(goodRows(items).map((row) => row.id)).toEqual(['1', '3']);
    expect(badRows(items)).toEqual([
      { file: fixture('wrong-columns.csv'), line: 3, reason: expect.any(String) },
    ]);
  });

  it('gets the line of a wrong-width record right after CRLF multi-line fields', async () => {
    const file = tempFile('crlf.csv', 'id,prompt\r\na,"1\r\n2\r\n3"\r\nb,x,y\r\nc,"q\r\nr",s\r\n');
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(badRows(items).map((bad) => bad.line)).toEqual([5, 6]);
  });

  it('treats broken quoting as fatal even when skipping, with the line', async () => {
    const file = tempFile('quote.csv', 'id,prompt\na,fine\nb,"bad"x\nc,never read\n');
    const error = await rejection(readAll(file, { onBadRow: 'skip' }));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).line).toBe(3);
    expect((error as DatasetError).reason).toMatch(/rest of the file/);
  });

  it('rejects a header that names a column twice', async () => {
    const file = tempFile('dup-header.csv', 'id,prompt,prompt\na,b,c\n');
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toMatch(/names column "prompt" twice/);
  });

  it('parses numeric params from text and rejects ones that are not numbers', async () => {
    const file = tempFile(
      'params.csv',
      'id,prompt,max_tokens,temperature,top_p,seed,stop\na,p,256, 0.7 ,0.9,42,END\nb,p,lots,,,,\nc,p,1.5,,,,\n',
    );
    const items = await readAll(file, { onBadRow: 'skip' });
    expect(goodRows(items)[0]!.params).toEqual({
      max_tokens: 256,
      temperature: 0.7,
      top_p: 0.9,
      seed: 42,
      stop: 'END',
    });
    expect(badRows(items).map((bad) => [bad.line, bad.reason])).toEqual([
      [3, 'max_tokens must be a number, got "lots"'],
      [4, 'max_tokens must be a whole number, got "1.5"'],
    ]);
  });

  it('reads messages, assertions and tools from JSON held in cells', async () => {
    const messages = JSON.stringify([
      { role: 'system', content: 'Answer about {{topic}}.' },
      { role: 'user', content: 'Go' },
    ]);
    const csvCell = (text: string) => `"${text.replaceAll('"', '""')}"`;
    const file = tempFile(
      'cells.csv',
      `id,messages,topic,assert,tools\nm,${csvCell(messages)},cats,${csvCell('{"type":"contains","value":"cat"}')},${csvCell('[{"type":"function"}]')}\n`,
    );
    const [row] = await readRows(file);
    expect(row!.messages[0]).toEqual({ role: 'system', content: 'Answer about cats.' });
    expect(row!.assertions).toEqual([{ type: 'contains', value: 'cat' }]);
    expect(row!.params).toEqual({ tools: [{ type: 'function' }] });
    expect(row!.vars).toEqual({ topic: 'cats' });
  });

  it('says which row has a messages cell that is not JSON', async () => {
    const file = tempFile('bad-cell.csv', 'id,messages\nm,not json\n');
    const error = await rejection(readAll(file));
    expect((error as DatasetError).line).toBe(2);
    expect((error as DatasetError).reason).toMatch(/column messages must hold JSON/);
  });
});

describe('readDataset on a CSV larger than one read chunk', () => {
  it('keeps line numbers right across chunk boundaries', async () => {
    const lines = ['id,prompt,note'];
    const expected: [string, number][] = [];
    let physicalLine = 2;
    for (let i = 0; i < 3000; i++) {
      const breaks = i % 4;
      expected.push([`r${i}`, physicalLine]);
      physicalLine += breaks + 1;
      const prompt = ['第一行 line', ...Array.from({ length: breaks }, (_, k) => `续 ${k} "q"`)].join('\r\n');
      lines.push(`r${i},"${prompt.replaceAll('"', '""')}",${'x'.repeat(i % 50)}`);
    }
    const file = tempFile('big.csv', `${lines.join('\r\n')}\r\n`);
    const rows = await readRows(file);
    expect(rows.map((row) => [row.id, row.source.line])).toEqual(expected);
    expect(rows[3]!.messages[0]!.content).toBe('第一行 line\r\n续 0 "q"\r\n续 1 "q"\r\n续 2 "q"');
  });
});
