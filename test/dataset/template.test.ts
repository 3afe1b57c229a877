import { describe, expect, it } from 'vitest';
import { RowProblem } from '../../src/dataset/row-problem.js';
import { fillTemplate } from '../../src/dataset/template.js';

const vars = new Map([
  ['city', '杭州'],
  ['n', '3'],
]);

describe('fillTemplate', () => {
  it('fills names with or without whitespace inside the braces', () => {
    expect(fillTemplate('介绍{{city}}，{{ n }}句话，{{  city  }}', vars, 'prompt')).toBe(
      '介绍杭州，3句话，杭州',
    );
  });

  it('leaves text without placeholders untouched', () => {
    expect(fillTemplate('a { b } {c}', vars, 'prompt')).toBe('a { b } {c}');
  });

  it('turns the escaped form \\{{ into a literal {{', () => {
    expect(fillTemplate('Handlebars uses \\{{name}} and {{city}}', vars, 'prompt')).toBe(
      'Handlebars uses {{name}} and 杭州',
    );
  });

  it('names an unknown variable, the field and the known columns', () => {
    expect(() => fillTemplate('Hi {{country}}', vars, 'messages[1].content')).toThrow(
      new RowProblem(
        "{{country}} in messages[1].content names no column of this row; the row's columns are: city, n",
      ),
    );
  });

  it('rejects an empty placeholder', () => {
    expect(() => fillTemplate('a {{ }} b', vars, 'system')).toThrow(/empty placeholder \{\{ \}\} in system/);
  });
});
