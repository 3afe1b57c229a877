import { createHash } from 'node:crypto';
import type { PageAssets } from './assets.js';
import { htmlText } from './escape.js';

export interface PageParts {
  title: string;
  /** The page data, already escaped for a script element (escape.ts `scriptJson`). */
  dataJson: string;
  assets: PageAssets;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy of the page: nothing may load from anywhere (`default-src 'none'`),
 * scripts run only when their text hashes to one of the page's own inline scripts, styles are
 * inline, images only `data:`. A reply that somehow became markup could neither run nor fetch.
 */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  // Fixed words and base64 hashes only: nothing to escape in the double-quoted attribute.
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The page up to the rows' base64 text, which is written next, as it is made (`write-html.ts`),
 * and then `pageEnd`: the rows come before the page data because the data counts them.
 */
export function pageStart(parts: Pick<PageParts, 'title' | 'assets'>): string {
  const { assets } = parts;
  const csp = contentSecurityPolicy([assets.uplotJs, assets.diffJs, ...assets.pageScripts]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stepbench">
<title>${htmlText(parts.title)}</title>
<style>${assets.uplotCss}</style>
<style>${assets.pageCss}</style>
</head>
<body>
<noscript>This report draws itself with JavaScript; report.json beside it has every figure.</noscript>
<main id="app"></main>
<script type="application/octet-stream" id="rows-data" data-encoding="gzip+base64">`;
}

/** The rest of the page after the rows: the page data, then the two libraries and the page's modules, which run once it is parsed. */
export function pageEnd(parts: Pick<PageParts, 'dataJson' | 'assets'>): string {
  const { assets } = parts;
  return `</script>
<script type="application/json" id="page-data">${parts.dataJson}</script>
<script>${assets.uplotJs}</script>
<script>${assets.diffJs}</script>
${assets.pageScripts.map((js) => `<script type="module">${js}</script>`).join('\n')}
</body>
</html>
`;
}
