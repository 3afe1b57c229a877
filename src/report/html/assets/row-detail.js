// report.html, part 7 of 8: a row's detail. Every target's answer to the same row and repeat side
// by side, each diffed word by word against the reference target's.
//
// The diff runs here, when a row is opened, not when the page is built: only the rows someone
// opens pay for it, and 100,000 rows do not carry 100,000 diffs. jsdiff (inlined) is bounded by
// maxEditLength and a timeout, so a pathological pair cannot hang the page; it gives up instead.
const ui = globalThis.stepbenchPage;
const { h } = ui;
const { Diff } = globalThis;

const DIFF_MAX_EDITS = 1_500;
const DIFF_TIMEOUT_MS = 300;

function diffed(reference, output) {
  if (reference === output)
    return [h('div', { class: 'output', text: output }), ui.note('Same as the reference.')];
  let parts;
  try {
    parts = Diff.diffWordsWithSpace(reference, output, {
      maxEditLength: DIFF_MAX_EDITS,
      timeout: DIFF_TIMEOUT_MS,
    });
  } catch {
    parts = undefined;
  }
  if (!parts)
    return [
      h('div', { class: 'output', text: output }),
      ui.note('Too different for a word diff within its limits: shown as is.'),
    ];
  const el = h('div', { class: 'output' });
  for (const p of parts) {
    if (p.added) el.append(h('ins', { class: 'ins', text: p.value }));
    else if (p.removed) el.append(h('del', { class: 'del', text: p.value }));
    else el.append(p.value);
  }
  return [el];
}

const cutNote = (shown, full) =>
  full !== undefined &&
  ui.note(
    `Cut to its first ${ui.int(shown)} of ${ui.int(full)} characters on this page; results.jsonl has all of it.`,
  );

function answer(r, payload, reference, multi) {
  const d = r[10];
  const target = payload.targets[r[1]];
  const verdict = payload.verdicts[r[4]];
  const u = d.usage ?? {};
  const du = d.durations ?? {};
  const figures = [
    ['outcome', payload.outcomes[r[3]] + (d.status !== undefined ? ` (HTTP ${d.status})` : '')],
    ['checks', verdict],
    ['finish reason', d.finishReason ?? '–'],
    ['ttft / ttfa', `${ui.duration(du.ttft)} / ${ui.duration(du.ttfa)}`],
    ['tpot', ui.duration(du.tpot)],
    ['e2e / latency', `${ui.duration(du.e2e)} / ${ui.duration(du.latency)}`],
    ['queue', ui.duration(du.queue)],
    [
      'tokens',
      `${ui.int(u.promptTokens)} prompt, ${ui.int(u.completionTokens)} completion (${u.source ?? '?'})`,
    ],
    ['cost', r[8] === null ? 'unknown' : ui.money(r[8])],
  ];
  if (d.phase) figures.push(['phase', d.phase + (d.warmup ? ' (warmup: not in the statistics)' : '')]);
  if (d.traceId) figures.push(['trace id', d.traceId]);
  if (d.responseId) figures.push(['response id', d.responseId]);
  const label = reference
    ? `answer — word diff against ${payload.targets[reference[1]]}`
    : multi
      ? 'answer (reference)'
      : 'answer';
  return h(
    'div',
    { class: 'answer', 'data-target': target },
    h('h4', null, ui.swatch(r[1]), target, h('span', { class: 'muted', text: d.model })),
    ui.table(['', ''], figures),
    d.error && h('div', { class: 'fail', text: d.error }),
    ui.note(label),
    reference ? diffed(reference[10].output, d.output) : h('div', { class: 'output', text: d.output }),
    cutNote(d.output.length, d.outputCut),
    d.reasoning !== undefined &&
      h(
        'details',
        null,
        h('summary', { text: `reasoning (${ui.int(d.reasoningCut ?? d.reasoning.length)} characters)` }),
        h('div', { class: 'output', text: d.reasoning }),
        cutNote(d.reasoning.length, d.reasoningCut),
      ),
    d.toolCalls &&
      h(
        'details',
        null,
        h('summary', { text: `tool calls (${d.toolCalls.length})` }),
        h('pre', { text: JSON.stringify(d.toolCalls, null, 2) }),
      ),
    d.checks && [
      h('h4', {
        text: `checks: ${d.checks.pass ? 'pass' : 'fail'}, score ${ui.fixed(d.checks.score, 2)}${d.checks.threshold !== undefined ? ` (threshold ${d.checks.threshold})` : ''}`,
      }),
      ui.table(
        ['check', 'verdict', 'score', 'why'],
        d.checks.results.map((c) => [
          c.label ? `${c.type} (${c.label})` : c.type,
          h('span', { class: c.pass ? 'pass' : 'fail', text: c.pass ? 'pass' : 'fail' }),
          ui.fixed(c.score, 2),
          c.reason,
        ]),
      ),
    ],
    d.attempts.length > 0 && [
      h('h4', { text: `attempts (${d.attempts.length})` }),
      ui.table(
        ['#', 'outcome', 'status', 'waited', 'sent at', 'ended at', 'connect', 'trace id', 'error'],
        d.attempts.map((a) => [
          a.attempt,
          a.outcome,
          a.status ?? '–',
          ui.duration(a.waitMs),
          ui.duration(a.sentAt),
          ui.duration(a.endAt),
          ui.duration(a.connectMs),
          a.traceId ?? '–',
          a.error?.message ?? '',
        ]),
      ),
    ],
  );
}

/** Row and repeat → the indexes of every target's result for it, built on the first open. */
let groups = null;
const groupOf = (rows, r) => {
  if (!groups) {
    groups = new Map();
    rows.forEach((x, i) => {
      const key = `${x[0]}\u0000${x[2]}`;
      const list = groups.get(key);
      if (list) list.push(i);
      else groups.set(key, [i]);
    });
  }
  return [...(groups.get(`${r[0]}\u0000${r[2]}`) ?? [])].sort((a, b) => rows[a][1] - rows[b][1]);
};

/** Draws the detail of row `index` into `box`. */
ui.rowDetail = (box, index, payload, data) => {
  const { rows } = payload;
  const r = rows[index];
  const group = groupOf(rows, r).map((i) => rows[i]);
  const refIndex = payload.targets.indexOf(data.reference);
  const reference = group.find((x) => x[1] === refIndex) ?? group[0];
  const d = r[10];
  const multi = group.length > 1;
  const columns = h(
    'div',
    { class: 'side-by-side' },
    group.map((x) => answer(x, payload, multi && x !== reference ? reference : null, multi)),
  );
  columns.style.gridTemplateColumns = `repeat(${group.length}, minmax(320px, 1fr))`;
  box.replaceChildren();
  ui.append(box, [
    h('h3', { text: `row ${r[0]} · repeat ${r[2]}` }),
    ui.note(
      `results.jsonl does not keep the prompt: this row is line ${d.source.split(':').pop()} of ${d.source.slice(0, d.source.lastIndexOf(':'))}` +
        (d.vars ? ', filled in with the variables below.' : '.'),
    ),
    d.tags && ui.note(`tags: ${d.tags.join(', ')}`),
    d.vars && ui.keyValues(d.vars),
    d.expected !== undefined && [
      h('h4', { text: 'expected' }),
      h('div', { class: 'output', text: d.expected }),
    ],
    multi &&
      ui.note(
        `${group.length} targets answered this row; the others are diffed against ${payload.targets[reference[1]]}.`,
      ),
    columns,
  ]);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
};
