// report.html, part 4 of 8: the sections drawn as charts (latency by percentile, histograms,
// timeline, capacity).
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
