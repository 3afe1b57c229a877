import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * Canned answers: the mock replies with a fixed text to requests whose last user message contains
 * `match` (and, when given, asks for `model`), instead of its seeded random words. They make
 * offline demos and tests of expectations meaningful — a row expecting "Paris" can pass or fail —
 * and let two mock "models" answer one dataset differently. The first matching entry wins.
 */
export interface CannedAnswer {
  /** Text the request's last user message must contain (exact, case-sensitive). */
  match: string;
  answer: string;
  /** Only for this model; any model when absent. */
  model?: string;
}

/** Validates a list of canned answers; `where` names its source in errors (a file, or `answers`). */
export function checkCannedAnswers(value: unknown, where = 'answers'): CannedAnswer[] {
  if (!Array.isArray(value)) throw new UserError(`${where}: must be a list of {match, answer[, model]}`);
  return value.map((entry, i) => checkEntry(entry, `${where}[${i}]`));
}

function checkEntry(entry: unknown, where: string): CannedAnswer {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    throw new UserError(`${where}: must be an object {match, answer[, model]}`);
  const { match, answer, model, ...rest } = entry as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new UserError(`${where}: unknown field '${unknown[0]}' (fields: match, answer, model)`);
  if (typeof match !== 'string' || match === '')
    throw new UserError(`${where}: 'match' must be non-empty text`);
  if (typeof answer !== 'string') throw new UserError(`${where}: 'answer' must be text`);
  if (model !== undefined && (typeof model !== 'string' || model === ''))
    throw new UserError(`${where}: 'model' must be non-empty text when given`);
  return model === undefined ? { match, answer } : { match, answer, model };
}

/** Reads canned answers from a JSONL file (one entry per line, blank lines ignored), naming file:line in errors. */
export function readCannedAnswers(path: string): CannedAnswer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `--answers ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const answers: CannedAnswer[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new UserError(`${path}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    answers.push(checkEntry(parsed, `${path}:${i + 1}`));
  });
  return answers;
}

/** The canned answer for a request, or undefined to fall back to the seeded words. */
export function findCannedAnswer(
  answers: readonly CannedAnswer[],
  model: string,
  lastUserText: string,
): string | undefined {
  for (const entry of answers) {
    if (entry.model !== undefined && entry.model !== model) continue;
    if (lastUserText.includes(entry.match)) return entry.answer;
  }
  return undefined;
}

// A CJK ideograph is a token of its own; other text splits before each run of whitespace.
const TOKEN = /\s*[\u3400-\u9fff\uf900-\ufaff]|\s*[^\s\u3400-\u9fff\uf900-\ufaff]+|\s+$/gu;

/** A canned answer as the mock's tokens (each counts as one completion token). */
export function answerTokens(answer: string): string[] {
  return answer.match(TOKEN) ?? [];
}
