import { describe, expect, it } from 'vitest';
import { ErrorBudget } from '../../src/run/error-budget.js';

describe('ErrorBudget', () => {
  it('waits for enough jobs, then trips above the rate', () => {
    const budget = new ErrorBudget(0.1, 10);
    for (let i = 0; i < 5; i++) expect(budget.record('http_5xx')).toBeUndefined();
    for (let i = 0; i < 4; i++) expect(budget.record('ok')).toBeUndefined();
    expect(budget.record('ok')).toMatch(/5 of 10 jobs \(50\.0%\)/);
  });

  it('does not count 429s or a healthy run', () => {
    const budget = new ErrorBudget(0.05, 10);
    for (let i = 0; i < 50; i++) expect(budget.record(i % 2 ? 'rate_limited' : 'ok')).toBeUndefined();
    // 2 of 52 = 3.8%: under; 3 of 53 = 5.7%: over.
    for (let i = 0; i < 2; i++) expect(budget.record('timeout_total')).toBeUndefined();
    expect(budget.record('network')).toMatch(/3 of 53 jobs.*above --max-error-rate 5\.0%/);
  });

  it('counts errors as the outcome table does: not interruptions or content filters', () => {
    const budget = new ErrorBudget(0, 10);
    for (let i = 0; i < 20; i++) {
      expect(budget.record(i % 2 ? 'interrupted' : 'content_filter')).toBeUndefined();
    }
    expect(budget.record('http_4xx')).toMatch(/1 of 21 jobs/);
  });
});
