/**
 * Where the mock's record clock stands, for the `rate-shapes` suite. Records carry the mock
 * process's `performance.now()`, but its fixed window resets on epoch multiples of the window and
 * its `--limit-schedule` counts from when it started, so reading throughput over whole windows or
 * against a schedule needs both on the record clock.
 *
 * A few requests the mock turns away before any limit (an empty JSON body: 400, never admitted, so
 * no quota is spent) give the offset: a record's `receivedAt` against the epoch midpoint of the
 * parent's send and answer, from the probe with the quickest round trip (loopback: about a
 * millisecond once the connection is open). The stats are then reset,
 * so the client's attempts are all the mock counts. The schedule's zero is taken as the moment the
 * mock said it was listening: its limits are built just before it listens.
 */

const epochNow = () => performance.timeOrigin + performance.now();

/**
 * `mock` from startMockProcess; `readyEpochMs` the parent's epoch ms when startMockProcess
 * resolved. Returns { epochOffsetMs, scheduleZeroAt, roundTripMs }: record time + epochOffsetMs =
 * epoch ms; scheduleZeroAt = the schedule's 0 s on the record clock.
 */
export async function calibrateMockClock(mock, { readyEpochMs, probes = 3 }) {
  const sent = [];
  for (let i = 0; i < probes; i++) {
    const sentAt = epochNow();
    const res = await fetch(`${mock.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
      body: '{}',
    });
    await res.arrayBuffer();
    if (res.status !== 400) throw new Error(`mock clock calibration: expected 400, got ${res.status}`);
    sent.push({ sentAt, answeredAt: epochNow() });
  }
  const stats = await mock.stats({ reset: true });
  if (stats.records.length !== probes)
    throw new Error(`mock clock calibration: expected ${probes} records, got ${stats.records.length}`);
  // Records are in arrival order, as the probes were sent one after another. The first probe
  // also opens the connection; the quickest round trip bounds the offset best.
  const samples = sent.map((p, i) => ({ ...p, receivedAt: stats.records[i].receivedAt, readyEpochMs }));
  const best = samples.reduce((a, b) => (b.answeredAt - b.sentAt < a.answeredAt - a.sentAt ? b : a));
  return clockFrom(best);
}

/** The pure part of calibrateMockClock. */
export function clockFrom({ sentAt, answeredAt, receivedAt, readyEpochMs }) {
  const epochOffsetMs = (sentAt + answeredAt) / 2 - receivedAt;
  return { epochOffsetMs, scheduleZeroAt: readyEpochMs - epochOffsetMs, roundTripMs: answeredAt - sentAt };
}

/**
 * Polls `GET /_mock/limits` (not counted in the stats, never limited) every `everyMs` until
 * `stop()`, which resolves with each change seen: { beforeEpochMs, seenEpochMs, limits } — the
 * change fell between the last poll that did not see it and the first that did. It shows when a
 * `--limit-schedule` step really took effect (the mock builds its limits, and starts the schedule,
 * a few hundred ms before it says it is listening).
 */
export function watchLimitChanges(mock, { everyMs = 20 } = {}) {
  const url = `${new URL(mock.url).origin}/_mock/limits`;
  const changes = [];
  let last = null;
  let lastAt = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const at = epochNow();
      try {
        const limits = await (await fetch(url)).json();
        const text = JSON.stringify(limits);
        if (last !== null && text !== last) changes.push({ beforeEpochMs: lastAt, seenEpochMs: at, limits });
        last = text;
        lastAt = at;
      } catch {
        // The mock is going away; the caller stops the watch before stopping the mock.
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return changes;
    },
  };
}

/**
 * The schedule's zero on the record clock from the first RPM change seen by watchLimitChanges,
 * matched to the first step whose RPM differs from the one before it; null when none was seen.
 */
export function scheduleZeroFrom(changes, steps, epochOffsetMs) {
  const step = steps.find((s, i) => i > 0 && s.perMinute !== steps[i - 1].perMinute);
  const first = changes.find((c) => c.limits.rpm === step?.perMinute);
  if (!first || !step) return null;
  return (first.beforeEpochMs + first.seenEpochMs) / 2 - epochOffsetMs - step.atMs;
}
