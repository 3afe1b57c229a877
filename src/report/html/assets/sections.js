// report.html, part 3 of 6: the report's sections (everything but the per-row table).
// Each returns { id, title, el, draw? } or null when the run has nothing to show there; draw()
// runs once the section is on the page (charts need their width).
const ui = globalThis.stepbenchPage;
const { h } = ui;

const LATENCY_STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'];
const LABELS = {
  ttft: 'TTFT',
  itl: 'inter-token latency',
  tpot: 'TPOT',
  e2e: 'end to end',
  latency: 'latency (incl. queue and retries)',
};

ui.sections = {};

ui.sections.header = (data) => {
  const r = data.run;
  return h(
    'header',
    null,
    h('h1', { text: 'stepbench report' }),
    h('div', {
      class: 'muted',
      text:
        `run ${r.id} · started ${r.startedAt} · took ${ui.wall(r.wallMs)} · ` +
        `${ui.int(data.dataset.rows)} rows from ${data.dataset.files.join(', ')} · stepbench ${r.stepbenchVersion}`,
    }),
    data.notices.map((n) => h('div', { class: 'notice', text: n })),
    data.dataset.badRows > 0 &&
      h('div', {
        class: 'notice',
        text: `${ui.int(data.dataset.badRows)} bad dataset rows were skipped (listed under Configuration).`,
      }),
  );
};

ui.sections.summary = (data) => {
  const cards = h(
    'div',
    { class: 'cards' },
    data.targets.map((t, i) => {
      const s = t.summary;
      const kpi = (k, v) =>
        h('div', { class: 'kpi' }, h('div', { class: 'v', text: v }), h('div', { class: 'k', text: k }));
      return h(
        'div',
        { class: 'card', 'data-target': t.name },
        h('h3', null, ui.swatch(i), t.name),
        h('div', { class: 'note', text: `${t.model} · ${t.baseUrl}${t.stream ? '' : ' · not streaming'}` }),
        h(
          'div',
          { class: 'kpis' },
          kpi('requests', ui.int(s.requests)),
          kpi('success rate', ui.pct(s.successRate)),
          kpi('pass rate', s.checks.judged > 0 ? ui.pct(s.checks.passRate) : 'not judged'),
          kpi('TTFT p50', ui.duration(s.latency.ttft.p50)),
          kpi('TTFT p95', ui.duration(s.latency.ttft.p95)),
          kpi('e2e p95', ui.duration(s.latency.e2e.p95)),
          kpi('completed req/s', ui.rate(s.throughput.requestsPerSec)),
          kpi('output tok/s', ui.rate(s.throughput.outputTokensPerSec)),
          kpi('cost', ui.cost(s.cost)),
          t.goodput && kpi('goodput req/s', ui.rate(t.goodput.goodputPerSec)),
        ),
      );
    }),
  );
  const verdict = (pass) => h('span', { class: pass ? 'pass' : 'fail', text: pass ? 'pass' : 'FAIL' });
  const gates =
    data.gates.length > 0
      ? [
          h('h3', { text: 'Gates' }),
          ui.table(
            ['gate', 'target', 'measured', 'verdict', 'why'],
            data.gates.map((g) => [g.gate, g.target, g.measured, verdict(g.pass), g.reason ?? '']),
            [2],
          ),
        ]
      : ui.note('No gates were set (--gate).');
  const slos = data.slos.length > 0 && [
    h('h3', { text: 'SLOs and goodput' }),
    ui.table(
      ['target', 'SLO', 'met', 'required', 'verdict'],
      data.targets.flatMap((t) =>
        (t.goodput?.slos ?? []).map((s) => [
          t.name,
          s.text,
          ui.pct(s.metShare),
          ui.pct(s.required),
          s.passed === null ? '–' : verdict(s.passed),
        ]),
      ),
    ),
  ];
  const c = data.checks;
  const checks =
    c &&
    ui.note(
      `Checks: ${ui.int(c.judged)} answers judged, ${ui.int(c.passed)} passed, ${ui.int(c.failed)} failed (pass rate ${ui.pct(c.passRate)}); ` +
        `${ui.int(c.unchecked)} answers had no checks, ${ui.int(c.unanswered)} requests got no answer to judge.`,
    );
  return { id: 'summary', title: 'Summary', el: h('div', null, cards, checks, gates, slos) };
};

const percentileTable = (data, metric) =>
  ui.table(
    ['target', 'count', ...LATENCY_STATS],
    data.targets.map((t) => {
      const p = t.summary.latency[metric];
      return [t.name, p.count, ...LATENCY_STATS.map((k) => ui.ms(p[k]))];
    }),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );

ui.sections.latency = (data) => {
  const boxes = [];
  const el = h(
    'div',
    null,
    ui.note(
      'x: percentile on a log 1/(1−p) axis, so the tail gets as much room as the median; y: milliseconds. From the report’s HDR histograms.',
    ),
    h(
      'div',
      { class: 'charts' },
      data.latency.map((chart) => {
        const total = chart.series.reduce((n, s) => n + s.count, 0);
        const box = h('div', { class: 'plot', 'data-metric': chart.metric });
        if (total > 0) boxes.push([box, chart]);
        return h(
          'div',
          { class: 'chart' },
          h('h3', { text: `${LABELS[chart.metric]} by percentile` }),
          total > 0 ? box : ui.note('No values.'),
          percentileTable(data, chart.metric),
        );
      }),
    ),
  );
  return {
    id: 'latency',
    title: 'Latency by percentile',
    el,
    draw: () => {
      for (const [b, c] of boxes) ui.percentilePlot(b, c);
    },
  };
};

ui.sections.histograms = (data) => {
  const boxes = [];
  const el = h(
    'div',
    { class: 'charts' },
    data.histograms
      .filter((c) => c.series.length > 0)
      .map((chart) => {
        const box = h('div', { class: 'plot', 'data-metric': chart.metric });
        boxes.push([box, chart]);
        return h(
          'div',
          { class: 'chart' },
          h('h3', { text: `${LABELS[chart.metric]}: histogram` }),
          box,
          ui.note(
            `${chart.edges.length - 1} ${chart.log ? 'log-spaced' : 'equal'} bins from ${ui.ms(chart.edges[0])} to ${ui.ms(chart.edges.at(-1))} ms.`,
          ),
        );
      }),
  );
  if (boxes.length === 0) return null;
  return {
    id: 'histograms',
    title: 'Histograms',
    el,
    draw: () => {
      for (const [b, c] of boxes) ui.histogramPlot(b, c);
    },
  };
};

ui.sections.timeline = (data) => {
  const tl = data.timeline;
  if (!tl || tl.t.length === 0) return null;
  const box = h('div', { class: 'plot', 'data-chart': 'timeline' });
  const sampling =
    tl.bucketSeconds > 1
      ? `Downsampled: the run has ${ui.int(tl.seconds)} seconds; each ${tl.bucketSeconds}-second bucket is drawn as its lowest and highest value (min/max), so short bursts still show.`
      : `One point per second (${ui.int(tl.seconds)} seconds).`;
  const events = tl.events.length > 0 && [
    h('h3', { text: 'Events' }),
    ui.table(
      ['at', 'kind', 'limit', 'reason'],
      tl.events.map((e) => [ui.duration(e.atMs), e.kind, e.limit ?? '', e.reason]),
    ),
    tl.eventsTotal > tl.events.length &&
      ui.note(`First ${tl.events.length} of ${ui.int(tl.eventsTotal)} events; report.json has all.`),
  ];
  const phases =
    tl.phases.length > 0 &&
    ui.table(
      ['phase', 'load', 'from', 'to', 'warmup'],
      tl.phases.map((p) => [
        p.name,
        p.load,
        `${ui.fixed(p.startS, 1)} s`,
        `${ui.fixed(p.endS, 1)} s`,
        p.warmup ? 'yes' : '',
      ]),
    );
  const el = h('div', null, ui.note(sampling), h('div', { class: 'chart' }, box), phases, events);
  return { id: 'timeline', title: 'Timeline', el, draw: () => ui.timelinePlot(box, tl) };
};

ui.sections.capacity = (data) => {
  const cap = data.capacity;
  if (!cap) return null;
  const unit = cap.dimension === 'rate' ? 'req/s' : 'concurrent';
  const box = h('div', { class: 'plot', 'data-chart': 'capacity' });
  const s = cap.sustainable;
  const answer = s
    ? `Sustainable: ${ui.value(s.load)} ${unit} — ${ui.rate(s.throughputRps)} completed req/s, ${ui.int(s.rpm)} RPM, ${ui.int(s.tpm)} TPM, e2e p95 ${ui.duration(s.latencyMs.e2e.p95)}.`
    : 'No load was sustainable.';
  const el = h(
    'div',
    null,
    h('p', { class: 'kpi' }, h('span', { class: 'v', text: answer })),
    ui.note(`Stopped because: ${cap.stoppedBecause}`),
    cap.rateLimitOnset &&
      ui.note(
        `429s began at ${ui.value(cap.rateLimitOnset.load)} ${unit} (${ui.pct(cap.rateLimitOnset.share)} of requests).`,
      ),
    cap.saturation && ui.note(`Throughput stopped growing at ${ui.value(cap.saturation.load)} ${unit}.`),
    cap.curve.length > 1 ? h('div', { class: 'chart' }, box) : null,
    ui.table(
      [
        'load',
        'requests',
        'completed',
        '429 share',
        'error share',
        'req/s',
        'RPM',
        'TPM',
        'ttft p95',
        'e2e p95',
        'verdict',
      ],
      cap.curve.map((p) => [
        p.load,
        p.requests,
        p.completed,
        ui.pct(p.rateLimitedShare),
        ui.pct(p.errorShare),
        ui.rate(p.throughputRps),
        ui.int(p.rpm),
        ui.int(p.tpm),
        ui.duration(p.latencyMs.ttft.p95),
        ui.duration(p.latencyMs.e2e.p95),
        p.verdict.ok ? 'good' : p.verdict.reason,
      ]),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
  );
  return {
    id: 'capacity',
    title: 'Capacity',
    el,
    draw: () => cap.curve.length > 1 && ui.capacityPlot(box, cap),
  };
};

ui.sections.tokens = (data) => {
  const price = (p) =>
    p
      ? `${p.input} / ${p.cachedInput} / ${p.output} ${p.currency} per 1M (input / cached / output)`
      : 'unknown';
  const rows = data.targets.map((t) => {
    const k = t.summary.tokens;
    return [
      t.name,
      k.prompt.total,
      k.completion.total,
      k.cached.total,
      k.reasoning ? k.reasoning.total : 'not reported',
      k.total.total,
      ui.fixed(k.completion.perRequest.mean, 1),
      `${ui.int(k.source.server)} server / ${ui.int(k.source.estimated)} estimated`,
      price(t.price),
      ui.cost(t.summary.cost),
    ];
  });
  const el = h(
    'div',
    null,
    ui.table(
      [
        'target',
        'prompt',
        'completion',
        'cached',
        'reasoning',
        'total',
        'completion / request',
        'counts from',
        'price',
        'cost',
      ],
      rows,
      [1, 2, 3, 4, 5, 6],
    ),
    ui.note('A cost without a price stays “unknown”, never 0.'),
  );
  return { id: 'tokens', title: 'Tokens and cost', el };
};

ui.sections.errors = (data) => {
  if (data.errors.length === 0)
    return { id: 'errors', title: 'Errors', el: ui.note('Every request ended ok.') };
  const el = h(
    'div',
    null,
    ui.table(
      ['outcome', ...data.targets.map((t) => t.name), 'most frequent messages'],
      data.errors.map((e) => [
        e.outcome,
        ...e.counts,
        h(
          'div',
          null,
          e.examples.map((m) => h('div', null, h('code', { text: `${ui.int(m.count)} × ` }), m.message)),
        ),
      ]),
      data.targets.map((_t, i) => i + 1),
    ),
    ui.note('Messages with their digits folded are counted as one (HTTP 503 after 812 ms ≈ … after 907 ms).'),
  );
  return { id: 'errors', title: 'Errors by class', el };
};

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

ui.sections.config = (data) => {
  const c = data.config;
  const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  const el = h(
    'div',
    null,
    ui.note('As report.json records them: secrets were redacted before the report was written.'),
    h('h3', { text: 'Command' }),
    h('pre', { text: c.command.map(quote).join(' ') }),
    h('h3', { text: 'Options' }),
    h('pre', { text: JSON.stringify(c.options, null, 2) }),
    h('h3', { text: 'Targets' }),
    ui.table(
      ['target', 'model', 'base URL', 'stream', 'params'],
      data.targets.map((t) => [
        t.name,
        t.model,
        t.baseUrl,
        t.stream ? 'yes' : 'no',
        h('code', { text: JSON.stringify(t.params) }),
      ]),
    ),
    c.limits && [h('h3', { text: 'Limits' }), ui.keyValues(c.limits)],
    c.health && [
      h('h3', { text: 'Client health' }),
      c.health.warnings.map((w) => h('div', { class: 'notice', text: w })),
      ui.keyValues(c.health),
    ],
    c.grader && [h('h3', { text: 'Grader' }), ui.keyValues(c.grader)],
    c.repeats && [h('h3', { text: 'Repeats' }), h('pre', { text: JSON.stringify(c.repeats, null, 2) })],
    data.dataset.badRowExamples.length > 0 && [
      h('h3', { text: 'Bad dataset rows' }),
      ui.table(
        ['file', 'line', 'reason'],
        data.dataset.badRowExamples.map((b) => [b.file, b.line, b.reason]),
      ),
    ],
    h('h3', { text: 'Environment' }),
    ui.keyValues(data.environment),
    ui.note(`Report generated ${data.generatedAt}.`),
  );
  return { id: 'config', title: 'Configuration', el };
};
