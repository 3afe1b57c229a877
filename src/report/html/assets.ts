import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the page inlines: uPlot (script + CSS), jsdiff's browser build, the page's own scripts and CSS. */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
  diffJs: string;
  /** The page's own scripts, in the order they run (each an inline module sharing `globalThis.stepbenchPage`). */
  pageScripts: string[];
  pageCss: string;
}

/** The page's scripts under assets/, in order: helpers first, main.js (which draws) last. */
export const PAGE_SCRIPTS = [
  'format.js',
  'charts.js',
  'sections-run.js',
  'sections-charts.js',
  'sections-compare.js',
  'rows-table.js',
  'row-detail.js',
  'main.js',
];

const require = createRequire(import.meta.url);
/** The page's own files sit beside this module: src/… under the tests, dist/… once built (the build copies them). */
const OWN = (name: string) => fileURLToPath(new URL(`./assets/${name}`, import.meta.url));

/** Sequences that would end or confuse the script or style element they are inlined in. */
const BREAKS_OUT = /<\/script|<!--|<script|<\/style/i;

let cached: Promise<PageAssets> | undefined;

/** Reads the assets once per process (they do not change while it runs). */
export function pageAssets(): Promise<PageAssets> {
  cached ??= loadAssets().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function loadAssets(): Promise<PageAssets> {
  // uPlot has no `exports` map: its dist files resolve directly. jsdiff's map hides dist/, so
  // its browser build is found beside its package.json.
  const diffDir = dirname(require.resolve('diff/package.json'));
  const [uplotJs, uplotCss, diffJs, pageCss, ...pageScripts] = await Promise.all(
    [
      require.resolve('uplot/dist/uPlot.iife.min.js'),
      require.resolve('uplot/dist/uPlot.min.css'),
      join(diffDir, 'dist', 'diff.min.js'),
      OWN('page.css'),
      ...PAGE_SCRIPTS.map(OWN),
    ].map(readInlinable),
  );
  return {
    uplotJs: uplotJs as string,
    uplotCss: uplotCss as string,
    diffJs: diffJs as string,
    pageCss: pageCss as string,
    pageScripts,
  };
}

async function readInlinable(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  if (BREAKS_OUT.test(text))
    throw new Error(`${path} contains </script, <script, </style or <!--: it cannot be inlined as it is`);
  return text;
}
