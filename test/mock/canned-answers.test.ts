import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  answerTokens,
  checkCannedAnswers,
  findCannedAnswer,
  readCannedAnswers,
} from '../../src/mock/canned-answers.js';
import { postChat, readChatStream, sseDataPayloads, withMock } from '../helpers/mock.js';

// biome-ignore lint/suspicious/noExplicitAny: chunks of known shape.
type Loose = any;

const fast = { ttftMs: 0, interTokenMs: 0, replyTokens: 12 };
const answers = [
  { match: 'capital of France', answer: 'Paris.', model: 'step-3.7-flash' },
  { match: 'capital of France', answer: 'Lyon, I think.' },
  { match: '浙江', answer: '杭州。' },
];
const ask = (model: string, content: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [
    { role: 'system', content: 'capital of France (the system text is not matched)' },
    { role: 'user', content },
  ],
  ...extra,
});

describe('canned answers: the pieces', () => {
  test('the first entry that matches the last user text (and model) wins', () => {
    expect(findCannedAnswer(answers, 'step-3.7-flash', 'What is the capital of France?')).toBe('Paris.');
    expect(findCannedAnswer(answers, 'step-3.5-flash', 'What is the capital of France?')).toBe(
      'Lyon, I think.',
    );
    expect(findCannedAnswer(answers, 'step-3.5-flash', 'capital of Spain?')).toBeUndefined();
  });

  test('tokens: one per CJK ideograph, otherwise one per run that follows whitespace; joined they are the text', () => {
    expect(answerTokens('杭州。')).toEqual(['杭', '州', '。']);
    expect(answerTokens('Lyon, I think.')).toEqual(['Lyon,', ' I', ' think.']);
    expect(answerTokens(' a  b ').join('')).toBe(' a  b ');
    expect(answerTokens('')).toEqual([]);
  });

  test('bad entries are input errors that name the entry and the field', () => {
    expect(() => checkCannedAnswers({})).toThrow(UserError);
    expect(() => checkCannedAnswers([{ match: '', answer: 'x' }])).toThrow(
      "answers[0]: 'match' must be non-empty text",
    );
    expect(() =>
      checkCannedAnswers([
        { match: 'a', answer: 'x' },
        { match: 'b', answr: 'x' },
      ]),
    ).toThrow("answers[1]: unknown field 'answr'");
  });

  test('a JSONL file is read line by line, and a bad line is named by file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canned-'));
    const good = join(dir, 'good.jsonl');
    await writeFile(good, `${JSON.stringify(answers[0])}\n\n${JSON.stringify(answers[2])}\n`);
    expect(readCannedAnswers(good)).toEqual([answers[0], answers[2]]);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${JSON.stringify(answers[0])}\n{"match": "x", "answer": 3}\n`);
    expect(() => readCannedAnswers(bad)).toThrow(`${bad}:2: 'answer' must be text`);
    expect(() => readCannedAnswers(join(dir, 'missing.jsonl'))).toThrow('cannot read it (ENOENT)');
  });
});

describe('canned answers: the server', () => {
  test('a matching request gets the canned text, streamed and as JSON, with its token count', async () => {
    await withMock({ ...fast, answers }, async (mock) => {
      const json = await postChat(mock, { body: ask('step-3.5-flash', 'And the capital of France?') });
      const body = JSON.parse(json.text) as Loose;
      expect(body.choices[0].message.content).toBe('Lyon, I think.');
      expect(body.choices[0].finish_reason).toBe('stop');
      expect(body.usage.completion_tokens).toBe(3);

      const streamed = await readChatStream(mock, ask('step-3.7-flash', '浙江的省会？', { stream: true }));
      const text = (sseDataPayloads(streamed.text) as Loose[])
        .map((chunk) => chunk.choices?.[0]?.delta?.content ?? '')
        .join('');
      expect(text).toBe('杭州。');
    });
  });

  test('max_tokens cuts a canned answer short with finish_reason length; other prompts keep seeded words', async () => {
    await withMock({ ...fast, answers }, async (mock) => {
      const cut = JSON.parse(
        (await postChat(mock, { body: ask('step-3.5-flash', 'capital of France', { max_tokens: 2 }) })).text,
      ) as Loose;
      expect(cut.choices[0].message.content).toBe('Lyon, I');
      expect(cut.choices[0].finish_reason).toBe('length');
      const other = JSON.parse(
        (await postChat(mock, { body: ask('step-3.5-flash', 'hello') })).text,
      ) as Loose;
      expect(other.usage.completion_tokens).toBe(12);
      expect(other.choices[0].message.content).not.toContain('Lyon');
    });
  });
});
