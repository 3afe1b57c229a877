// report.html, part 3 of 8: the sections about the run as a whole (header, summary, tokens and
// cost, errors, configuration). Each section returns { id, title, el, draw? } or null when the run
// has nothing to show there; draw() runs once the section is on the page (charts need their width).
const ui = globalThis.stepbenchPage;
const { h } = ui;

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
