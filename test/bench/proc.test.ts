import { describe, expect, it } from 'vitest';
import { peakRssMB } from '../../bench/lib/proc.mjs';

describe('peakRssMB', () => {
  it.runIf(process.platform === 'linux')(
    'reads this process peak RSS, at least its current RSS',
    async () => {
      const peak = await peakRssMB(process.pid);
      expect(peak).not.toBeNull();
      expect(peak as number).toBeGreaterThanOrEqual(process.memoryUsage.rss() / 2 ** 20 - 1);
    },
  );
  it('is null for a process that does not exist', async () => {
    expect(await peakRssMB(2 ** 30)).toBeNull();
  });
});
