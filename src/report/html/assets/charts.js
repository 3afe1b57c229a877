// report.html, part 2 of 8: the charts, drawn with uPlot (inlined once, a global of the page).
const ui = globalThis.stepbenchPage;
const { uPlot } = globalThis;

const HEIGHT = 240;
const drawn = [];

const widthOf = (box) => Math.max(320, box.clientWidth - 16);
window.addEventListener('resize', () => {
  for (const { plot, box } of drawn) plot.setSize({ width: widthOf(box), height: HEIGHT });
});

/** Draws a uPlot chart into `box` (already on the page, so its width is known). */
ui.plot = (box, opts, data) => {
  const plot = new uPlot({ width: widthOf(box), height: HEIGHT, ...opts }, data, box);
  drawn.push({ plot, box });
  return plot;
};

// 1/(1−p): 1 = 0 %, 2 = 50 %, 10 = 90 %, 100 = 99 %, 1000 = 99.9 % …
const PERCENTILE_TICKS = [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
const percentileOf = (x, extra) => {
  if (x <= 1) return '0%';
  const digits = Math.max(0, Math.ceil(Math.log10(x)) - 2) + extra;
  return `${((1 - 1 / x) * 100).toFixed(digits)}%`;
};

/** Latency by percentile, one line per target, HdrHistogram-plotter style. */
ui.percentilePlot = (box, chart) =>
  ui.plot(
    box,
    {
      scales: {
        x: { time: false, distr: 3, log: 10 },
        y: { range: (_u, _min, max) => [0, (max || 1) * 1.05] },
      },
      axes: [
        {
          label: 'percentile',
          // uPlot labels only powers of ten on a log axis by default: 2 (50 %) must show too.
          filter: (_u, splits) => splits,
          splits: (_u, _i, min, max) => PERCENTILE_TICKS.filter((t) => t >= min && t <= max * 1.0001),
          values: (_u, splits) => splits.map((x) => percentileOf(x, 0)),
        },
        { label: 'ms', size: 64, values: (_u, splits) => splits.map(ui.ms) },
      ],
      series: [
        { label: 'percentile', value: (_u, v) => (v == null ? '–' : percentileOf(v, 1)) },
        ...chart.series.map((s, i) => ({
          label: s.target,
          stroke: ui.color(i),
          width: 2,
          points: { show: false },
          value: (_u, v) => (v == null ? '–' : `${ui.ms(v)} ms`),
        })),
      ],
    },
    [chart.x, ...chart.series.map((s) => s.y)],
  );

/** A histogram: bars per bin, the targets' bars over each other, translucent. */
ui.histogramPlot = (box, chart) => {
  const { edges } = chart;
  const centers = edges
    .slice(0, -1)
    .map((e, i) => (chart.log ? Math.sqrt(e * edges[i + 1]) : (e + edges[i + 1]) / 2));
  const bars = uPlot.paths.bars({ size: [0.9, Number.POSITIVE_INFINITY] });
  return ui.plot(
    box,
    {
      scales: { x: { time: false, ...(chart.log ? { distr: 3, log: 10 } : {}) } },
      axes: [
        { label: 'ms', values: (_u, splits) => splits.map(ui.ms) },
        { label: 'requests', size: 56 },
      ],
      series: [
        { label: 'ms', value: (_u, v) => (v == null ? '–' : `~${ui.ms(v)} ms`) },
        ...chart.series.map((s, i) => ({
          label: s.target,
          stroke: ui.color(i),
          fill: `${ui.color(i)}55`,
          paths: bars,
          points: { show: false },
        })),
      ],
    },
    [centers, ...chart.series.map((s) => s.counts)],
  );
};

const TIMELINE_SERIES = [
  { key: 'started', label: 'started /s', color: '#1a73e8', scale: 'rate' },
  { key: 'completed', label: 'completed /s', color: '#188038', scale: 'rate' },
  { key: 'rateLimited', label: '429s /s', color: '#e8710a', scale: 'rate' },
  { key: 'errors', label: 'errors /s', color: '#d93025', scale: 'rate' },
  { key: 'sendRate', label: 'learned rate req/s', color: '#9334e6', scale: 'rate', dash: [6, 4] },
  { key: 'inFlight', label: 'in flight', color: '#5f6368', scale: 'conc' },
  { key: 'limit', label: 'concurrency limit', color: '#202124', scale: 'conc', dash: [4, 3] },
];

/** Shades each phase behind the series and writes its name at the top. */
const phaseBands = (phases) => (u) => {
  const { ctx, bbox } = u;
  ctx.save();
  phases.forEach((p, i) => {
    const x0 = u.valToPos(p.startS, 'x', true);
    const x1 = u.valToPos(p.endS, 'x', true);
    ctx.fillStyle = p.warmup
      ? 'rgba(249, 171, 0, 0.12)'
      : i % 2
        ? 'rgba(26, 115, 232, 0.06)'
        : 'rgba(0, 0, 0, 0.03)';
    ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
    ctx.fillStyle = '#5d6675';
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.fillText(p.name, x0 + 4 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
  });
  ctx.restore();
};

/** The per-second timeline: counts per second on the left, concurrency on the right, phases shaded. */
ui.timelinePlot = (box, tl) => {
  const shown = TIMELINE_SERIES.filter((s) => tl.series[s.key].some((v) => v !== null && v !== 0));
  return ui.plot(
    box,
    {
      scales: { x: { time: false }, rate: {}, conc: {} },
      axes: [
        { label: 's since start' },
        { scale: 'rate', label: 'per second', size: 56 },
        { scale: 'conc', label: 'requests', side: 1, size: 56, grid: { show: false } },
      ],
      series: [
        { label: 's' },
        ...shown.map((s) => ({
          label: s.label,
          stroke: s.color,
          scale: s.scale,
          width: 1.5,
          points: { show: false },
          ...(s.dash ? { dash: s.dash } : {}),
        })),
      ],
      hooks: { drawClear: [phaseBands(tl.phases)] },
    },
    [tl.t, ...shown.map((s) => tl.series[s.key])],
  );
};

/** Draws a vertical marker with a label at each `{ at, label, color }`. */
const markers = (marks) => (u) => {
  const { ctx, bbox } = u;
  ctx.save();
  for (const m of marks) {
    const x = u.valToPos(m.at, 'x', true);
    ctx.strokeStyle = m.color;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillStyle = m.color;
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.fillText(m.label, x + 4 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
  }
  ctx.restore();
};

/** The capacity curve: load against throughput and p95 latency, the answer and the first 429s marked. */
ui.capacityPlot = (box, cap) => {
  const curve = cap.curve;
  const marks = [];
  if (cap.sustainable) marks.push({ at: cap.sustainable.load, label: 'sustainable', color: '#188038' });
  if (cap.rateLimitOnset) marks.push({ at: cap.rateLimitOnset.load, label: '429s begin', color: '#e8710a' });
  if (cap.limit) marks.push({ at: cap.limit.load, label: 'limit', color: '#d93025' });
  return ui.plot(
    box,
    {
      scales: { x: { time: false }, rps: {}, ms: {} },
      axes: [
        { label: cap.dimension === 'rate' ? 'arrival rate, req/s' : 'concurrency' },
        { scale: 'rps', label: 'completed req/s', size: 56 },
        {
          scale: 'ms',
          label: 'p95 ms',
          side: 1,
          size: 64,
          grid: { show: false },
          values: (_u, s) => s.map(ui.ms),
        },
      ],
      series: [
        { label: cap.dimension === 'rate' ? 'rate' : 'concurrency' },
        { label: 'throughput req/s', stroke: '#1a73e8', width: 2, scale: 'rps' },
        { label: 'e2e p95 ms', stroke: '#d93025', width: 2, scale: 'ms' },
        { label: 'ttft p95 ms', stroke: '#e8710a', width: 1.5, scale: 'ms', dash: [5, 3] },
      ],
      hooks: { draw: [markers(marks)] },
    },
    [
      curve.map((p) => p.load),
      curve.map((p) => p.throughputRps),
      curve.map((p) => p.latencyMs.e2e.p95),
      curve.map((p) => p.latencyMs.ttft.p95),
    ],
  );
};
