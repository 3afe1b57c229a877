// report.html, part 1 of 8: building elements and formatting numbers. Each part is an inline
// module of the page; they share `globalThis.stepbenchPage`, and main.js draws the page.
//
// Model text and every other piece of data reach the page only through h() below, which makes
// text nodes and sets attributes — it never parses markup — so a reply that holds a closing
// script tag or an img tag with an onerror handler stays text.
globalThis.stepbenchPage = globalThis.stepbenchPage ?? {};
const ui = globalThis.stepbenchPage;

/** An element with properties (`class`, `text`, `title`, `on<event>`, other attributes) and children. */
ui.h = (tag, props, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  ui.append(el, children);
  return el;
};

ui.append = (el, children) => {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
};

const COLORS = ['#1a73e8', '#e8710a', '#188038', '#d93025', '#9334e6', '#12b5cb', '#c5221f', '#7f6d00'];
ui.color = (i) => COLORS[i % COLORS.length];
ui.swatch = (i) => {
  const s = ui.h('span', { class: 'swatch' });
  s.style.background = ui.color(i);
  return s;
};

const number = (digits) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const NF = [number(0), number(1), number(2), number(3)];
const known = (v) => typeof v === 'number' && Number.isFinite(v);

ui.int = (v) => (known(v) ? NF[0].format(Math.round(v)) : '–');
ui.fixed = (v, d) => (known(v) ? NF[d].format(v) : '–');
/** Milliseconds with as many decimals as are worth reading. */
ui.ms = (v) => {
  if (!known(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  return NF[a < 1 ? 3 : a < 10 ? 2 : a < 1000 ? 1 : 0].format(v);
};
/** A duration with its unit: 850 ms, 1.23 s. */
ui.duration = (v) => {
  if (!known(v)) return '–';
  return Math.abs(v) < 1000 ? `${ui.ms(v)} ms` : `${NF[2].format(v / 1000)} s`;
};
ui.wall = (ms) => {
  if (!known(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${NF[1].format(ms / 1000)} s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m ${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
};
ui.pct = (ratio) => (known(ratio) ? `${NF[1].format(ratio * 100)}%` : '–');
ui.rate = (v) => (known(v) ? NF[1].format(v) : '–');
ui.money = (v) => (known(v) ? (Math.abs(v) < 1 ? v.toFixed(4) : NF[2].format(v)) : '–');
/** A cost summary: known with its currency, or "unknown" — never 0 for unknown. */
ui.cost = (summary) =>
  summary && known(summary.total) ? `${ui.money(summary.total)} ${summary.currency}` : 'unknown';
/** Any value as short text: numbers formatted, objects as JSON. */
ui.value = (v) => {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? ui.int(v) : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
};

/** A table of `rows` (arrays of cells); `numeric` lists the columns aligned right. */
ui.table = (headers, rows, numeric = []) => {
  const isNum = (i) => numeric.includes(i);
  return ui.h(
    'table',
    { class: 'data' },
    ui.h(
      'thead',
      null,
      ui.h(
        'tr',
        null,
        headers.map((t, i) => ui.h('th', { class: isNum(i) && 'num', text: t })),
      ),
    ),
    ui.h(
      'tbody',
      null,
      rows.map((r) =>
        ui.h(
          'tr',
          null,
          r.map((c, i) => ui.h('td', { class: isNum(i) && 'num' }, c instanceof Node ? c : ui.value(c))),
        ),
      ),
    ),
  );
};

/** Key → value rows of a plain object; nested values as JSON. */
ui.keyValues = (obj) =>
  ui.table(
    ['setting', 'value'],
    Object.entries(obj ?? {}).map(([k, v]) => [
      k,
      typeof v === 'object' && v !== null ? ui.h('code', { text: JSON.stringify(v) }) : v,
    ]),
  );

ui.note = (text) => ui.h('p', { class: 'note', text });

/** A `[-removed-]{+added+}` word diff (report.json's notation) drawn with del/ins marks. */
ui.markedDiff = (text) => {
  const out = ui.h('span');
  const re = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    out.append(text.slice(at, m.index));
    if (m[1] !== undefined) out.append(ui.h('del', { class: 'del', text: m[1] }));
    else out.append(ui.h('ins', { class: 'ins', text: m[2] }));
    at = m.index + m[0].length;
  }
  out.append(text.slice(at));
  return out;
};
