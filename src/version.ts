import { createRequire } from 'node:module';

// Read from package.json so the report always names the version that produced it.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const STEPBENCH_VERSION: string = pkg.version;
