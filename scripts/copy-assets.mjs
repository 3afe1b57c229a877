/**
 * Part of `npm run build`: copies what tsc does not emit — the report page's browser scripts and
 * CSS, read at run time by src/report/html/assets.ts — from src/ into dist/.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/report/html/assets/', import.meta.url));
const to = fileURLToPath(new URL('../dist/report/html/assets/', import.meta.url));
cpSync(from, to, { recursive: true });
