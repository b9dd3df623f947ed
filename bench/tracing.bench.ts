// What tracing costs the read path, measured as an A/B in one run: two gateways on the same stack, one
// tracing (OTLP to a collector stand-in, BENCH_TRACING of new traces sampled, default 10 %) and one not,
// loaded in alternating short rounds so that the host's changing speed falls on both alike.
// `npm run bench:tracing`
import { startBenchStack, TRANSCRIPT } from './bench-stack';
import { registerBenchUser } from './bench-user';
import { pacedLoad, pacedPool } from './paced-load';
import { cpuMs } from './proc-cpu';
import { printTable } from './stats';
import { benchVideoId } from './video-ids';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<{
  requests: { total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}>;

/** BENCH_TRACING=off: neither gateway traces (an A/A run: how much the two differ anyway). */
const CONTROL = process.env.BENCH_TRACING === 'off';
const RATIO = CONTROL ? 0 : Number(process.env.BENCH_TRACING ?? 0.1);
if (!(RATIO >= 0 && RATIO <= 1)) throw new Error(`BENCH_TRACING=${process.env.BENCH_TRACING}: a ratio from 0 to 1`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const GET_RATE = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const { id, stack, stop } = await startBenchStack(true, (collector) => ({
    replicas: { gateway: 2 },
    replicaEnv: CONTROL
      ? undefined
      : { 'gateway-2': { OTEL_EXPORTER_OTLP_ENDPOINT: collector, OTEL_TRACES_SAMPLER_ARG: String(RATIO) } },
  }));
  try {
    const gateways = { off: stack.services.gateway, on: stack.replicas[0] };
    const auth = await registerBenchUser(gateways.off.url, `bench-${id}@example.com`);
    const submitted = (await (
      await fetch(`${gateways.off.url}/videos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: `https://youtu.be/${benchVideoId(id, 0)}`, transcript: TRANSCRIPT }),
      })
    ).json()) as { video_id: string };
    const deadline = Date.now() + 60_000;
    const status = async () =>
      (
        (await (await fetch(`${gateways.off.url}/videos/${submitted.video_id}`, { headers: auth })).json()) as {
          status: string;
        }
      ).status;
    while ((await status()) !== 'completed') {
      if (Date.now() > deadline) throw new Error('the video did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = (side: 'off' | 'on') => `${gateways[side].url}/videos/${submitted.video_id}`;
    // warm both up (JIT, caches) and open each side's connections for the fixed-rate rounds
    const pools = { off: pacedPool(url('off'), 50), on: pacedPool(url('on'), 50) };
    const atRate = (side: 'off' | 'on', durationS: number) =>
      pacedLoad({ pool: pools[side], url: url(side), headers: auth, connections: 50, rate: GET_RATE, durationS });
    for (const side of ['off', 'on'] as const) {
      await autocannon({ url: url(side), headers: auth, connections: CONNECTIONS, duration: 2 });
      await atRate(side, 1);
    }

    const totals = {
      off: { requests: 0, seconds: 0, cpu: 0, p99: [] as number[], bad: 0 },
      on: { requests: 0, seconds: 0, cpu: 0, p99: [] as number[], bad: 0 },
    };
    const paced = { off: [] as number[], on: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // each round swaps who goes first, so neither side always follows the other's load
      const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const side of order) {
        const before = cpuMs(gateways[side].pid).total;
        const result = await autocannon({
          url: url(side),
          headers: auth,
          connections: CONNECTIONS,
          duration: ROUND_SECONDS,
        });
        const t = totals[side];
        t.cpu += cpuMs(gateways[side].pid).total - before;
        t.requests += result.requests.total;
        t.seconds += ROUND_SECONDS;
        t.p99.push(result.latency.p99);
        t.bad += result.non2xx + result.errors;
      }
      for (const side of order) {
        paced[side].push((await atRate(side, 2)).latency.p99);
      }
    }
    const row = (side: 'off' | 'on') => {
      const t = totals[side];
      return {
        gateway: CONTROL
          ? `${side === 'on' ? 'gateway-2' : 'gateway'}, tracing off`
          : `tracing ${side}${side === 'on' ? `, ${RATIO * 100} % sampled` : ''}`,
        'GET /videos/{id} req/s': Math.round(t.requests / t.seconds),
        'median p99 ms': median(t.p99),
        [`p99 at ${GET_RATE}/s, median ms`]: median(paced[side]),
        'gateway CPU µs/req': Math.round((t.cpu * 1000) / Math.max(1, t.requests)),
        'non-2xx/errors': t.bad,
      };
    };
    const off = row('off');
    const on = row('on');
    printTable(
      `Tracing A/B: GET /videos/{id}, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s (${CONNECTIONS} connections) and 2 s at ${GET_RATE} req/s`,
      [off, on],
    );
    const change =
      (100 * (on['GET /videos/{id} req/s'] - off['GET /videos/{id} req/s'])) / off['GET /videos/{id} req/s'];
    printTable('Overhead', [
      {
        'throughput, on vs off': `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`,
        'CPU per request, on − off': `${on['gateway CPU µs/req'] - off['gateway CPU µs/req']} µs`,
        budget: 'within 15 %',
      },
    ]);
    await Promise.all(Object.values(pools).map((pool) => pool.close()));
  } finally {
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
