import type { TimelineBucket, TimelineEvent, TimelineJSON } from '../../metrics/timeline.js';
import type { ReportPhase } from '../schema.js';

/** Above this many seconds the timeline is drawn from min/max buckets (two points each). */
export const TIMELINE_MAX_POINTS = 2_000;
/** Events listed on the page; the rest are counted. */
export const TIMELINE_MAX_EVENTS = 200;

const SERIES = ['started', 'completed', 'inFlight', 'limit', 'sendRate', 'rateLimited', 'errors'] as const;
export type TimelineSeriesName = (typeof SERIES)[number];

export interface TimelineSeries {
  /** Seconds since the run start. */
  t: number[];
  series: Record<TimelineSeriesName, (number | null)[]>;
  /** Seconds each min/max bucket covers; 1 when every second is drawn. */
  bucketSeconds: number;
  /** Seconds in the run's timeline, before any downsampling. */
  seconds: number;
  phases: Array<{ name: string; load: string; startS: number; endS: number; warmup: boolean }>;
  events: TimelineEvent[];
  eventsTotal: number;
}

function bucketValue(b: TimelineBucket, name: TimelineSeriesName): number | null {
  switch (name) {
    case 'inFlight':
      return b.inFlightMax;
    default:
      return b[name];
  }
}

/**
 * The timeline as chart series. A long run keeps its shape without thousands of points: each
 * bucket of `bucketSeconds` seconds becomes two points, its lowest and its highest value per
 * series (min/max decimation), so a one-second burst of 429s still shows.
 */
export function timelineSeries(
  timeline: TimelineJSON,
  phases: readonly ReportPhase[] = [],
  maxPoints = TIMELINE_MAX_POINTS,
): TimelineSeries {
  const buckets = timeline.buckets;
  const width = buckets.length <= maxPoints ? 1 : Math.ceil(buckets.length / Math.max(1, maxPoints / 2));
  const t: number[] = [];
  const series = Object.fromEntries(
    SERIES.map((s) => [s, [] as (number | null)[]]),
  ) as TimelineSeries['series'];
  if (width === 1) {
    for (const b of buckets) {
      t.push(b.t);
      for (const name of SERIES) series[name].push(bucketValue(b, name));
    }
  } else {
    for (let i = 0; i < buckets.length; i += width) {
      const group = buckets.slice(i, i + width);
      const start = (group[0] as TimelineBucket).t;
      t.push(start, start + width / 2);
      for (const name of SERIES) {
        const values = group.map((b) => bucketValue(b, name)).filter((v): v is number => v !== null);
        series[name].push(
          values.length ? Math.min(...values) : null,
          values.length ? Math.max(...values) : null,
        );
      }
    }
  }
  return {
    t,
    series,
    bucketSeconds: width,
    seconds: buckets.length,
    phases: phases.map((p) => ({
      name: p.name,
      load: p.load,
      startS: p.startedAtMs / 1000,
      endS: p.endedAtMs / 1000,
      warmup: p.warmup,
    })),
    events: timeline.events.slice(0, TIMELINE_MAX_EVENTS),
    eventsTotal: timeline.events.length,
  };
}
