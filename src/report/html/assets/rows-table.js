// report.html, part 6 of 8: the per-row table. Virtual scrolling: one spacer as tall as every
// row, and only the rows in view (plus OVERSCAN above and below) in the DOM, so 100,000 rows
// stay fast. Filters and sorts work on an index array; rows themselves never move.
const ui = globalThis.stepbenchPage;
const { h } = ui;

const ROW_HEIGHT = 28;
const OVERSCAN = 10;
const VIEWPORT_HEIGHT = 560;
const VERDICT_TEXT = { passed: 'pass', failed: 'fail', unchecked: 'no checks', unanswered: 'no answer' };

/** Opens the rows block: base64 → gzip → JSON, with the browser's DecompressionStream. */
ui.loadRows = async () => {
  const text = document.getElementById('rows-data').textContent.trim();
  const bytes = Uint8Array.fromBase64
    ? Uint8Array.fromBase64(text)
    : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
};

function columnsOf(payload, data) {
  const { targets, outcomes, verdicts } = payload;
  const priced = targets.map((name) => data.targets.find((t) => t.name === name)?.price != null);
  const cols = [
    { id: 'row', label: 'row', width: 22, value: (r) => r[0] },
    { id: 'target', label: 'target', width: 14, value: (r) => targets[r[1]] },
    { id: 'repeat', label: 'repeat', width: 6, num: true, value: (r) => r[2] },
    { id: 'outcome', label: 'outcome', width: 11, value: (r) => outcomes[r[3]] },
    {
      id: 'checks',
      label: 'checks',
      width: 8,
      value: (r) => verdicts[r[4]],
      text: (v) => VERDICT_TEXT[v] ?? v,
      cls: (v) => (v === 'passed' ? 'pass' : v === 'failed' ? 'fail' : ''),
    },
    { id: 'ttft', label: 'ttft ms', width: 8, num: true, value: (r) => r[5], text: ui.ms },
    { id: 'e2e', label: 'e2e ms', width: 8, num: true, value: (r) => r[6], text: ui.ms },
    { id: 'tokens', label: 'tokens out', width: 8, num: true, value: (r) => r[7], text: ui.int },
    {
      id: 'cost',
      label: 'cost',
      width: 8,
      num: true,
      value: (r) => r[8],
      // Unknown stays unknown: no price → "unknown"; priced but no response → not billed here.
      text: (v, r) => (v === null ? (priced[r[1]] ? '–' : 'unknown') : ui.money(v)),
    },
  ];
  if (data.baseline?.rows)
    cols.push({
      id: 'flip',
      label: 'vs baseline',
      width: 9,
      value: (r) => r[9],
      text: (v) => v ?? '',
      cls: (v) => (v ? `flip-${v}` : ''),
    });
  return cols;
}

const select = (name, label, options) =>
  h(
    'select',
    { name, 'aria-label': label },
    options.map(([value, text]) => h('option', { value, text })),
  );

/** Builds the table into `box`; `onOpen(index, rows, payload)` shows a row's detail. */
ui.rowsTable = (box, payload, data, onOpen) => {
  const { rows } = payload;
  const cols = columnsOf(payload, data);
  const state = {
    query: '',
    target: '',
    outcome: '',
    verdict: '',
    flip: '',
    sort: null,
    dir: 1,
    selected: -1,
  };
  let view = rows.map((_r, i) => i);
  let haystack = null;

  const search = h('input', {
    type: 'search',
    placeholder: 'search row id, answer, error, trace id',
    'aria-label': 'search',
  });
  const filters = [
    [
      'target',
      select('target', 'target', [['', 'all targets'], ...payload.targets.map((t, i) => [String(i), t])]),
    ],
    [
      'outcome',
      select('outcome', 'outcome', [['', 'all outcomes'], ...payload.outcomes.map((o, i) => [String(i), o])]),
    ],
    [
      'verdict',
      select('verdict', 'checks', [
        ['', 'pass and fail'],
        ...payload.verdicts.map((v, i) => [String(i), VERDICT_TEXT[v] ?? v]),
      ]),
    ],
  ];
  if (data.baseline?.rows)
    filters.push([
      'flip',
      select('flip', 'against the baseline', [
        ['', 'vs baseline: all rows'],
        ['any', 'listed flips and changes'],
        ['regressed', 'regressed'],
        ['fixed', 'fixed'],
        ['changed', 'answer changed'],
      ]),
    ]);
  const count = h('span', { class: 'muted', id: 'rows-count' });

  const colgroup = () =>
    h(
      'colgroup',
      null,
      cols.map((c) => h('col', { style: `width:${c.width}%` })),
    );
  const headRow = h(
    'tr',
    null,
    cols.map((c) =>
      h('th', { 'data-col': c.id, class: c.num && 'num', text: c.label, title: `sort by ${c.label}` }),
    ),
  );
  const head = h('table', { class: 'grid-head' }, colgroup(), h('thead', null, headRow));
  const tbody = h('tbody');
  const body = h('table', { class: 'grid-body' }, colgroup(), tbody);
  const sizer = h('div', { class: 'sizer' }, body);
  const viewport = h('div', { class: 'viewport', tabindex: '-1' }, sizer);
  const headWrap = h('div', null, head);
  ui.append(box, [
    h(
      'div',
      { class: 'toolbar' },
      search,
      filters.map(([, el]) => el),
      count,
    ),
    headWrap,
    viewport,
  ]);

  const textOf = (i) => {
    if (!haystack) haystack = new Array(rows.length);
    let s = haystack[i];
    if (s === undefined) {
      const r = rows[i];
      const d = r[10];
      s =
        `${r[0]}\n${payload.targets[r[1]]}\n${payload.outcomes[r[3]]}\n${d.output}\n${d.error ?? ''}\n${d.traceId ?? ''}`.toLowerCase();
      haystack[i] = s;
    }
    return s;
  };

  function apply() {
    const t = state.target === '' ? -1 : Number(state.target);
    const o = state.outcome === '' ? -1 : Number(state.outcome);
    const v = state.verdict === '' ? -1 : Number(state.verdict);
    const q = state.query.trim().toLowerCase();
    const next = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (t >= 0 && r[1] !== t) continue;
      if (o >= 0 && r[3] !== o) continue;
      if (v >= 0 && r[4] !== v) continue;
      if (state.flip === 'any' && r[9] === null) continue;
      if (state.flip && state.flip !== 'any' && r[9] !== state.flip) continue;
      if (q && !textOf(i).includes(q)) continue;
      next.push(i);
    }
    if (state.sort) {
      const get = state.sort.value;
      const dir = state.dir;
      // Missing values last whichever the direction; ties keep the results' order.
      next.sort((a, b) => {
        const x = get(rows[a]);
        const y = get(rows[b]);
        if (x === y || (x == null && y == null)) return a - b;
        if (x == null) return 1;
        if (y == null) return -1;
        return (x < y ? -1 : 1) * dir;
      });
    }
    view = next;
    sizer.style.height = `${view.length * ROW_HEIGHT}px`;
    viewport.style.height = `${Math.min(VIEWPORT_HEIGHT, Math.max(3, view.length) * ROW_HEIGHT + 2)}px`;
    count.textContent = `${ui.int(view.length)} of ${ui.int(rows.length)} rows`;
    viewport.scrollTop = 0;
    render();
  }

  function render() {
    const top = viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(view.length, Math.ceil((top + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const trs = [];
    for (let k = first; k < last; k++) {
      const i = view[k];
      const r = rows[i];
      const tr = h('tr', { 'data-index': i, tabindex: '0', class: i === state.selected && 'selected' });
      for (const c of cols) {
        const v = c.value(r);
        const text = c.text ? c.text(v, r) : String(v ?? '');
        const td = h('td', {
          class: [c.num ? 'num' : '', c.cls ? c.cls(v) : ''].join(' ').trim() || false,
          text,
        });
        if (c.id === 'row') td.title = text;
        tr.append(td);
      }
      trs.push(tr);
    }
    tbody.replaceChildren(...trs);
    headWrap.style.paddingRight = `${viewport.offsetWidth - viewport.clientWidth}px`;
  }

  let frame = 0;
  viewport.addEventListener('scroll', () => {
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        render();
      });
  });
  let typing = 0;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.query = search.value;
      apply();
    }, 120);
  });
  for (const [name, el] of filters)
    el.addEventListener('change', () => {
      state[name] = el.value;
      apply();
    });
  headRow.addEventListener('click', (e) => {
    const th = e.target.closest('th');
    if (!th) return;
    const col = cols.find((c) => c.id === th.dataset.col);
    state.dir = state.sort === col ? -state.dir : 1;
    state.sort = col;
    for (const x of headRow.children) x.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
    apply();
  });
  const open = (tr) => {
    if (!tr) return;
    state.selected = Number(tr.dataset.index);
    render();
    onOpen(state.selected);
  };
  tbody.addEventListener('click', (e) => open(e.target.closest('tr')));
  tbody.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open(e.target.closest('tr'));
  });
  apply();
};
