// report.html, part 5 of 8: the comparisons (with a baseline run; between this run's targets).
const ui = globalThis.stepbenchPage;
const { h } = ui;

const deltaValue = (metric, v) => {
  if (v === null || v === undefined) return '–';
  if (/_rate$/.test(metric)) return ui.pct(v);
  if (/^cost\./.test(metric)) return ui.money(v);
  if (/^(connect|ttfb|ttft|ttfa|itl|tpot|e2e|latency|queue)\./.test(metric)) return ui.duration(v);
  return ui.value(v);
};

/** A delta's value, change, interval, p and test cells, shared by both comparison tables. */
const deltaCells = (d) => [
  deltaValue(d.metric, d.baseline),
  deltaValue(d.metric, d.current),
  d.relative !== null ? ui.pct(d.relative) : deltaValue(d.metric, d.change),
  d.interval ? `${ui.pct(d.interval.low)} … ${ui.pct(d.interval.high)}` : '–',
  d.p === null ? '–' : d.p.toPrecision(2),
  d.test,
];

ui.sections.baseline = (data) => {
  const b = data.baseline;
  if (!b) return null;
  const flips = (title, list) =>
    list.length > 0 && [
      h('h3', { text: title }),
      ui.table(
        ['row', 'target', 'repeat', 'before → after', 'why', 'answer diff'],
        list.map((c) => [
          c.rowId,
          c.target,
          c.repeat,
          `${c.before} → ${c.after}`,
          c.reason ?? '',
          c.diff ? ui.markedDiff(c.diff) : '',
        ]),
      ),
    ];
  const r = b.rows;
  const el = h(
    'div',
    null,
    ui.note(
      `Baseline: run ${b.baseline.runId} (${b.baseline.path}, started ${b.baseline.startedAt}, values from ${b.baseline.source}); α = ${b.alpha}; thresholds: ${b.thresholds.join(', ') || 'none'}.`,
    ),
    b.regressions.length > 0
      ? h(
          'div',
          { class: 'notice' },
          h('span', { class: 'fail', text: 'Regressed: ' }),
          b.regressions.map((x) => `${x.target} ${x.metric} (${x.threshold})`).join(', '),
        )
      : h('p', { class: 'pass', text: 'No regression beyond its threshold.' }),
    b.notes.map((n) => ui.note(n)),
    ui.table(
      ['target', 'figure', 'baseline', 'current', 'change', 'interval', 'p', 'test', 'threshold', 'verdict'],
      b.deltas.map((d) => [
        d.target,
        d.metric,
        ...deltaCells(d),
        d.threshold ?? '',
        d.regression
          ? h('span', { class: 'fail', text: 'regression' })
          : d.significant
            ? h('span', { class: 'flip-changed', text: 'worse, within threshold' })
            : (d.note ?? ''),
      ]),
      [2, 3, 4, 6],
    ),
    r &&
      ui.note(
        `Rows: ${ui.int(r.compared)} compared, ${ui.int(r.regressed)} regressed, ${ui.int(r.fixed)} fixed, ${ui.int(r.outputChanged)} answers changed; ` +
          `${ui.int(r.onlyInBaseline)} only in the baseline, ${ui.int(r.onlyInCurrent)} only in this run. The lists below (and the table’s “vs baseline” filter) hold the first ${data.baselineListed} of each kind.`,
      ),
    r && flips('Regressed rows', r.regressedRows),
    r && flips('Fixed rows', r.fixedRows),
    r && flips('Changed answers', r.changedRows),
  );
  return { id: 'baseline', title: 'Baseline comparison', el };
};

/**
 * report.comparison (src/compare/targets-compare.ts): every target beside the reference — how
 * often it answered alike, each figure with its change and two-sided test, its error classes —
 * then the first rows whose answers differ. Fields it does not know are shown as they are.
 */
ui.sections.comparison = (data) => {
  const c = data.comparison;
  if (!c || typeof c !== 'object' || !Array.isArray(c.targets)) return null;
  const share = (s) =>
    s && typeof s === 'object' ? `${ui.pct(s.share)} (${ui.int(s.count)} of ${ui.int(s.of)})` : '–';
  const parts = [
    ui.note(
      `Reference target: ${String(c.reference)}. p-values are ${c.sided ?? 'two-sided'} at α = ${c.alpha ?? '–'}: “differs” means the figures differ, either way; nothing here fails the run.`,
    ),
  ];
  for (const n of Array.isArray(c.notes) ? c.notes : []) parts.push(ui.note(String(n)));
  const others = c.targets.filter((t) => t && !t.isReference);
  parts.push(
    h('h3', { text: 'Agreement with the reference' }),
    ui.table(
      [
        'target',
        'rows both answered',
        'same answer',
        'same after normalising',
        'same check verdict',
        'error classes',
      ],
      c.targets.map((t) => [
        t.target,
        ui.int(t.rowsBoth),
        t.isReference ? 'reference' : share(t.agreement?.exact),
        t.isReference ? '' : share(t.agreement?.normalised),
        t.isReference ? '' : share(t.agreement?.sameVerdict),
        Object.entries(t.errorClasses ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none',
      ]),
      [1],
    ),
  );
  for (const t of others) {
    if (!Array.isArray(t.deltas) || t.deltas.length === 0) continue;
    parts.push(
      h('h3', { text: `${t.target} against ${String(c.reference)}` }),
      ui.table(
        ['figure', String(c.reference), t.target, 'change', 'interval', 'p', 'test', ''],
        t.deltas.map((d) => [
          d.metric,
          ...deltaCells(d),
          d.significant ? h('span', { class: 'flip-changed', text: 'differs' }) : (d.note ?? ''),
        ]),
        [1, 2, 3, 5],
      ),
    );
  }
  const rows = c.rows;
  if (rows && Array.isArray(rows.listed)) {
    parts.push(
      h('h3', { text: 'Rows whose answers differ' }),
      ui.note(
        `${ui.int(rows.differing)} of ${ui.int(rows.paired)} rows differ from the reference; the first ${rows.listed.length} are listed (every row is in the table below, its detail shows the answers side by side).`,
      ),
    );
    if (rows.listed.length > 0) {
      const names = c.targets.map((t) => t.target);
      parts.push(
        ui.table(
          ['row', 'repeat', ...names.map((n) => (n === c.reference ? `${n} (reference)` : n))],
          rows.listed.map((r) => [
            r.rowId,
            r.repeat,
            ...names.map((n) => {
              const o = (r.outputs ?? []).find((x) => x && x.target === n);
              if (!o) return '–';
              const text = String(o.output ?? o.error ?? '');
              return o.diff ? h('div', null, h('div', { text }), ui.markedDiff(String(o.diff))) : text;
            }),
          ]),
        ),
      );
    }
  }
  return { id: 'comparison', title: 'Model comparison', el: h('div', null, parts) };
};
