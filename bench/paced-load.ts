import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { percentiles } from './stats';

export interface PacedLoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Requests per second, sent evenly: request i is due at i / rate seconds. */
  rate: number;
  durationS: number;
  connections: number;
  /** Per-request headers and body (the i-th request). */
  request?: (i: number) => { headers?: Record<string, string>; body?: string };
  /**
   * Connections already open (a warm-up's), kept open afterwards: a fresh pool opens all of its
   * connections in the first milliseconds, a burst no steady population of clients makes.
   */
  pool?: Pool;
}

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}

/**
 * A fixed-rate, open-loop load, for the latency at a given rate. Not autocannon's `overallRate`:
 * that sends each connection's share of a second back to back at the start of the second (every
 * second opens with a burst of the whole rate), and its coordinated-omission correction assumes an
 * interval of ceil(1 / rate) = 1 ms, so a 40 ms reply is recorded with 39 made-up ones behind it.
 * Here request i is sent when it is due and its latency counts from that moment, so a server (or
 * this generator) that falls behind shows it in the figures instead of sending less.
 */
/** Connections for `pacedLoad` to share between runs. */
export function pacedPool(url: string, connections: number): Pool {
  return new Pool(new URL(url).origin, { connections, pipelining: 1, headersTimeout: 30_000 });
}

export async function pacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = options.pool ?? pacedPool(options.url, options.connections);
  const total = Math.round(options.rate * options.durationS);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  // BENCH_TIMELINE=<file>: each request of the run, to tell a stall (all at once) from a queue that grew
  const timelineFile = process.env.BENCH_TIMELINE;
  const timeline: string[] | undefined = timelineFile ? [] : undefined;
  const statusCodeStats: Record<string, { count: number }> = {};
  let errors = 0;
  let non2xx = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();

  const fire = (i: number) => {
    const due = start + i * intervalMs;
    const extra = options.request?.(i) ?? {};
    return pool
      .request({
        path: url.pathname + url.search,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...extra.headers },
        body: extra.body,
      })
      .then(async (response) => {
        await response.body.dump();
        const code = String(response.statusCode);
        statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + 1 };
        const latency = performance.now() - due;
        if (response.statusCode < 200 || response.statusCode >= 300) non2xx += 1;
        else latencies.push(latency);
        timeline?.push(`${(due - start).toFixed(1)} ${latency.toFixed(1)} ${code}`);
      })
      .catch(() => {
        errors += 1;
      });
  };

  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) inFlight.push(fire(sent++));
    await new Promise((r) => setTimeout(r, Math.max(0, start + sent * intervalMs - performance.now())));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  if (!options.pool) await pool.close();
  if (timelineFile && timeline)
    appendFileSync(
      timelineFile,
      `# ${options.method ?? 'GET'} ${options.url} ${options.rate}/s at ${Math.round(performance.timeOrigin + start)}\n${timeline.join('\n')}\n`,
    );
  const p = latencies.length ? percentiles(latencies) : { p50: NaN, p99: NaN, max: NaN };
  return {
    requests: { average: latencies.length / elapsedS, total: latencies.length + non2xx + errors },
    latency: { p50: round(p.p50), p99: round(p.p99), max: round(p.max) },
    non2xx,
    statusCodeStats,
    errors,
    timeouts: 0,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
