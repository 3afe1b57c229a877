/**
 * Part of `npm run build` (kept beside the assets it copies, so the build has no folder of its
 * own at the top): copies what tsc does not emit — the report page's browser scripts and
 * CSS, read at run time by src/report/html/assets.ts — from src/ into dist/.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('./assets/', import.meta.url));
const to = fileURLToPath(new URL('../../../dist/report/html/assets/', import.meta.url));
cpSync(from, to, { recursive: true });
