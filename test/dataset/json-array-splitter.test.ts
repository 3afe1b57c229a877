import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArraySplitter, JsonArrayStructureError } from '../../src/dataset/json-array-splitter.js';

function splitAll(chunks: string[]): { line: number; text: string }[] {
  const splitter = new JsonArraySplitter();
  const elements = chunks.flatMap((chunk) => splitter.push(chunk));
  splitter.end();
  return elements;
}

function chunked(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

// Strings full of the characters that could fool a splitter.
const trickyString = fc.stringMatching(/^[a-z\][{}",\\\n 中文]{0,12}$/);
const element = fc.dictionary(
  fc.constantFrom('id', 'prompt', 'list', 'x'),
  fc.oneof(
    trickyString,
    fc.array(fc.oneof(trickyString, fc.integer(), fc.array(trickyString)), { maxLength: 3 }),
  ),
);

describe('JsonArraySplitter', () => {
  it('finds every element and its start line however the text is chunked', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (rows, cuts) => {
        const text = JSON.stringify(rows, null, 2);
        const elements = splitAll(chunked(text, cuts));
        expect(elements.map((found) => JSON.parse(found.text))).toEqual(rows);
        let line = 2;
        const lines = rows.map((row) => {
          const start = line;
          line += JSON.stringify(row, null, 2).split('\n').length;
          return start;
        });
        expect(elements.map((found) => found.line)).toEqual(lines);
      }),
    );
  });

  it('hands back a malformed element as text for JSON.parse to judge', () => {
    expect(splitAll(['[{"a": tru}, 5, "s]"]'])).toEqual([
      { line: 1, text: '{"a": tru}' },
      { line: 1, text: '5' },
      { line: 1, text: '"s]"' },
    ]);
  });

  it('reports holes and trailing commas as empty elements', () => {
    expect(splitAll(['[{}, ,\n{},\n]']).map((found) => found)).toEqual([
      { line: 1, text: '{}' },
      { line: 1, text: '' },
      { line: 2, text: '{}' },
      { line: 3, text: '' },
    ]);
  });

  it('throws a structure error with the line for text that is not one array', () => {
    const splitter = new JsonArraySplitter();
    expect(() => splitter.push('\n\n  x')).toThrow(JsonArrayStructureError);
    expect(() => splitAll(['[1]', ' 2'])).toThrow(/after the closing/);
    try {
      splitAll(['[\n{"a": "unterminated', '\n}]']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonArrayStructureError);
      expect((error as JsonArrayStructureError).line).toBe(2);
    }
  });
});
