import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/schedule/fifo.js';

describe('Fifo', () => {
  it('returns items in the order they were pushed, across compaction', () => {
    const queue = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(i);
      if (i % 3 === 0) out.push(queue.shift()!);
    }
    expect(queue.size).toBe(5000 - out.length);
    while (queue.size > 0) out.push(queue.shift()!);
    expect(out).toEqual([...Array(5000).keys()]);
    expect(queue.shift()).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const queue = new Fifo<string>();
    queue.push('a');
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
