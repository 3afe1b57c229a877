import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseSlo } from '../../src/eval/slo.js';
import { parseConfig } from '../../src/plan/config-file.js';
import { phaseFromSpec } from '../../src/plan/phases.js';

// The README's examples are what users copy: they must be valid for the code as it is.
describe('README examples', () => {
  it('every YAML config block is a valid config file', async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      const config = parseConfig(parseYaml(block), 'README.md');
      for (const spec of config.run?.phases ?? []) expect(phaseFromSpec(spec).name).toBe(spec.name);
      for (const slo of config.run?.slos ?? []) expect(parseSlo(slo).text).toBe(slo);
    }
  });
});
