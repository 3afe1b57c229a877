import { describe, expect, it } from 'vitest';
import { GRADER_MARKER, gradingMessages } from '../../src/eval/grading-prompt.js';
import { gradeOffline } from '../../src/eval/offline-grader.js';
import { GRADING_MARKER, mockVerdict } from '../../src/mock/grading.js';
import { postChat, withMock } from '../helpers/mock.js';

const CASES: Array<[rubric: string, output: string]> = [
  ['Names "Paris" and "the Seine"', 'Paris lies on the Seine.'],
  ['Names "Paris" and "the Seine"', 'Paris, surely.'],
  ['Uses “Ünïcode” quotes', 'ÜNÏCODE it is'],
  ['No quoted phrase at all', 'anything'],
  ['"a" "a" "b"', 'only a'],
];

describe('the mock as a grader', () => {
  it('recognises the marker the client writes', () => {
    expect(GRADING_MARKER).toBe(GRADER_MARKER);
  });

  it('gives the offline grader’s verdicts (pass and score) on the same cases', () => {
    for (const [rubric, output] of CASES) {
      const mock = mockVerdict(gradingMessages(rubric, output, { vars: {} }));
      const offline = gradeOffline(rubric, output);
      expect({ rubric, output, pass: mock.pass, score: mock.score }).toEqual({
        rubric,
        output,
        pass: offline.pass,
        score: offline.score,
      });
    }
  });

  it('answers a grading request with a JSON verdict over the wire, the same every time; other requests as before', async () => {
    await withMock({ ttftMs: 1, interTokenMs: 0 }, async (mock) => {
      const messages = gradingMessages('Names "Paris"', 'The capital is Paris.', { vars: {} });
      const ask = async () => {
        const r = await postChat(mock, { body: { model: 'step-3.5-flash', messages, stream: false } });
        expect(r.status).toBe(200);
        return JSON.parse(r.text).choices[0].message.content as string;
      };
      const first = await ask();
      expect(JSON.parse(first)).toEqual({
        pass: true,
        score: 1,
        reason: 'mock grader: the output has every quoted phrase of the rubric',
      });
      expect(await ask()).toBe(first);
      const failing = gradingMessages('Names "Lyon"', 'The capital is Paris.', { vars: {} });
      const r = await postChat(mock, { body: { model: 'step-3.5-flash', messages: failing, stream: false } });
      expect(JSON.parse(JSON.parse(r.text).choices[0].message.content)).toMatchObject({
        pass: false,
        score: 0,
        reason: 'mock grader: the output lacks "Lyon"',
      });
      const plain = await postChat(mock, {
        body: {
          model: 'step-3.5-flash',
          messages: [{ role: 'user', content: 'Names "Paris"' }],
          stream: false,
        },
      });
      expect(JSON.parse(plain.text).choices[0].message.content).not.toMatch(/mock grader/);
    });
  });
});
