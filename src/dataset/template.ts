import { RowProblem } from './row-problem.js';

// `\{{` is an escaped literal `{{`; otherwise `{{ name }}` with optional whitespace inside.
const PLACEHOLDER = /\\\{\{|\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders in `text` from `vars`. `where` names the field for error
 * messages ("prompt", "messages[1].content"). An unknown name is a row problem, never an empty
 * string: a silently blank prompt would be benchmarked as if it were the intended one.
 */
export function fillTemplate(text: string, vars: ReadonlyMap<string, string>, where: string): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (match: string, name: string | undefined) => {
    if (name === undefined) return '{{'; // the escaped form `\{{`
    if (name === '')
      throw new RowProblem(`empty placeholder ${match} in ${where} (write \\{{ for a literal {{)`);
    const value = vars.get(name);
    if (value === undefined) {
      const known = vars.size > 0 ? `; the row's columns are: ${[...vars.keys()].join(', ')}` : '';
      throw new RowProblem(`{{${name}}} in ${where} names no column of this row${known}`);
    }
    return value;
  });
}
