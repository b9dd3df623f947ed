// What tracing costs the read path, measured as an A/B in one run: four gateways on the same stack, two
// tracing (OTLP to a collector stand-in, BENCH_TRACING of new traces sampled, default 10 %) and two not,
// loaded in short turns. Every round starts the four afresh (off, on, on, off) and warms them up: how fast
// a gateway process runs depends on its luck (its JIT's choices, its place on the cores: fresh untraced
// gateways differ by up to 25 %), so one process's luck must not stay on one side for the whole run; and
// the turns interleave, so the host's changing speed falls on both sides alike.
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
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const GET_RATE = 1000;

/** The gateways that trace, by position (started off, on, on, off): replicas, named `gateway-2` … */
const TRACED = [1, 2];
const replicaName = (n: number) => `gateway-${n + 1}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const traced = (collector: string | undefined) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: collector,
    OTEL_TRACES_SAMPLER_ARG: String(RATIO),
  });
  const { id, stack, stop } = await startBenchStack(true, (collector) => ({
    replicas: { gateway: 4 },
    replicaEnv: CONTROL ? undefined : Object.fromEntries(TRACED.map((n) => [replicaName(n), traced(collector)])),
  }));
  try {
    const first = stack.services.gateway;
    const all = [first, ...stack.replicas].map((gateway, n) => ({
      gateway,
      side: (TRACED.includes(n) ? 'on' : 'off') as 'off' | 'on',
    }));
    const auth = await registerBenchUser(first.url, `bench-${id}@example.com`);
    const submitted = (await (
      await fetch(`${first.url}/videos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: `https://youtu.be/${benchVideoId(id, 0)}`, transcript: TRANSCRIPT }),
      })
    ).json()) as { video_id: string };
    const deadline = Date.now() + 60_000;
    const status = async () =>
      (
        (await (await fetch(`${first.url}/videos/${submitted.video_id}`, { headers: auth })).json()) as {
          status: string;
        }
      ).status;
    while ((await status()) !== 'completed') {
      if (Date.now() > deadline) throw new Error('the video did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = (gateway: { url: string }) => `${gateway.url}/videos/${submitted.video_id}`;
    let pools: ReturnType<typeof pacedPool>[] = [];
    const atRate = (n: number, durationS: number) =>
      pacedLoad({
        pool: pools[n],
        url: url(all[n].gateway),
        headers: auth,
        connections: 50,
        rate: GET_RATE,
        durationS,
      });
    /** New gateway processes, started in order, each warmed up (JIT, caches) with its fixed-rate connections open. */
    const freshGateways = async () => {
      await Promise.all(pools.map((pool) => pool.close()));
      for (const { gateway } of all) {
        await gateway.stop();
        gateway.start();
        await gateway.waitUntilReady();
      }
      pools = all.map(({ gateway }) => pacedPool(url(gateway), 50));
      for (let n = 0; n < all.length; n++) {
        await autocannon({
          url: url(all[n].gateway),
          headers: auth,
          connections: CONNECTIONS,
          duration: 2,
        });
        await atRate(n, 1);
      }
    };

    const totals = {
      off: { requests: 0, seconds: 0, cpu: 0, p99: [] as number[], bad: 0 },
      on: { requests: 0, seconds: 0, cpu: 0, p99: [] as number[], bad: 0 },
    };
    const paced = { off: [] as number[], on: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      await freshGateways();
      // each round starts one gateway later, so no gateway always follows the same one's load
      const order = all.map((_, k) => (round + k) % all.length);
      const seen: string[] = [];
      for (const n of order) {
        const { gateway, side } = all[n];
        const before = cpuMs(gateway.pid).total;
        const result = await autocannon({
          url: url(gateway),
          headers: auth,
          connections: CONNECTIONS,
          duration: ROUND_SECONDS,
        });
        const t = totals[side];
        t.cpu += cpuMs(gateway.pid).total - before;
        t.requests += result.requests.total;
        t.seconds += ROUND_SECONDS;
        t.p99.push(result.latency.p99);
        t.bad += result.non2xx + result.errors;
        seen.push(`${gateway.name} (${side}) ${Math.round(result.requests.total / ROUND_SECONDS)}`);
      }
      // each new process's speed, to see how far they spread
      console.log(`round ${round + 1} req/s: ${seen.join(', ')}`);
      for (const n of order) paced[all[n].side].push((await atRate(n, 2)).latency.p99);
    }
    const row = (side: 'off' | 'on') => {
      const t = totals[side];
      return {
        gateways: `${all
          .filter((g) => g.side === side)
          .map((g) => g.gateway.name)
          .join(' + ')}: ${CONTROL || side === 'off' ? 'tracing off' : `tracing on, ${RATIO * 100} % sampled`}`,
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
      `Tracing A/B: GET /videos/{id}, ${ROUNDS} rounds of new gateways, ${ROUND_SECONDS} s each in turn (${CONNECTIONS} connections), then 2 s each at ${GET_RATE} req/s`,
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
    await Promise.all(pools.map((pool) => pool.close()));
  } finally {
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
