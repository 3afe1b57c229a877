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
        deltaValue(d.metric, d.baseline),
        deltaValue(d.metric, d.current),
        d.relative !== null ? ui.pct(d.relative) : deltaValue(d.metric, d.change),
        d.interval ? `${ui.pct(d.interval.low)} … ${ui.pct(d.interval.high)}` : '–',
        d.p === null ? '–' : d.p.toPrecision(2),
        d.test,
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

/** report.comparison, shown as it is: its shape belongs to the comparison, not to this page. */
ui.sections.comparison = (data) => {
  const c = data.comparison;
  if (!c || typeof c !== 'object') return null;
  const parts = [];
  if (typeof c.reference === 'string') parts.push(ui.note(`Reference target: ${c.reference}`));
  if (Array.isArray(c.targets) && c.targets.length > 0) {
    const keys = [...new Set(c.targets.flatMap((t) => (t && typeof t === 'object' ? Object.keys(t) : [])))];
    parts.push(
      ui.table(
        keys,
        c.targets.map((t) => keys.map((k) => (t && typeof t === 'object' ? t[k] : null))),
      ),
    );
  }
  const rest = Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'reference' && k !== 'targets'));
  if (Object.keys(rest).length > 0) parts.push(ui.keyValues(rest));
  return { id: 'comparison', title: 'Model comparison', el: h('div', null, parts) };
};
