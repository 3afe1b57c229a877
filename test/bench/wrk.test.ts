import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../../bench/lib/wrk.mjs';

// wrk 4.1's summary, as printed against the independent server at -c256 (figures from one run).
const SAMPLE = `Running 10s test @ http://127.0.0.1:35167/v1/chat/completions
  2 threads and 256 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   450.84ms  170.58ms   1.99s    94.44%
    Req/Sec   279.77    110.88   595.00     65.98%
  5449 requests in 10.05s, 55.29MB read
  Socket errors: connect 0, read 0, write 0, timeout 57
Requests/sec:    542.24
Transfer/sec:      5.50MB
`;

describe('parseWrkOutput', () => {
  it('reads requests, req/s, mean latency in ms and socket errors', () => {
    expect(parseWrkOutput(SAMPLE)).toEqual({
      requests: 5449,
      wrkRps: 542.24,
      meanLatencyMs: 450.84,
      socketErrors: { connect: 0, read: 0, write: 0, timeout: 57 },
      non2xx: 0,
    });
  });

  it('converts a latency in seconds and counts non-2xx responses', () => {
    const text = SAMPLE.replace('450.84ms', '1.20s').replace(
      'Requests/sec',
      'Non-2xx or 3xx responses: 12\nRequests/sec',
    );
    const parsed = parseWrkOutput(text);
    expect(parsed.meanLatencyMs).toBe(1200);
    expect(parsed.non2xx).toBe(12);
  });

  it('refuses output it does not recognise instead of reporting zeros', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /unrecognised/,
    );
  });
});
