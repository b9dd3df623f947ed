// HTTP throughput and latency of the gateway's hot routes against a bare Nest-Fastify route,
// measured in one run so the ratios hold on any machine. `npm run bench:http`
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { findFreePortRange } from '@study-buddy/devstack';
import { startBenchStack, TRANSCRIPT } from './bench-stack';
import { pacedLoad, PacedLoadOptions, pacedPool } from './paced-load';
import { registerBenchUser } from './bench-user';
import { startChild } from './child';
import { cpuMs, cpuMsOfCommand, machineBusyMs } from './proc-cpu';
import { printTable } from './stats';
import { benchVideoId } from './video-ids';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POST_RATE = 100;
const GET_RATE = 1000;
const POST_SECONDS = Math.min(SECONDS, 5);
/**
 * 100 submissions a second come from many users, not one: a user's credit ledger is one stream that
 * takes one command at a time (as bench:pipeline shows), so one user at 100/s measures that queue.
 */
const POST_USERS = Number(process.env.BENCH_POST_USERS ?? 50);
/**
 * Seconds at the rate before the paused row, not measured: pools grown, and the code of the submission
 * path (gateway, videos, billing) optimised by V8, as in a process that has been serving for a while.
 * One second left most of it in V8's baseline tiers, ~30 % more CPU per submission in the gateway.
 */
const POST_WARMUP_SECONDS = Number(process.env.BENCH_POST_WARMUP ?? 3);
/**
 * Each user's credits (and submission limit): its share of the runs at the rate, the warm-up and the two
 * 3 s runs one at a time (at most 100 a second), the 20 setup videos (user 0's), and a margin.
 */
const POST_CREDITS =
  Math.ceil(((2 * POST_SECONDS + POST_WARMUP_SECONDS) * POST_RATE + 2 * 3 * 100) / POST_USERS) + 20 + 10;
if (!(POST_CREDITS <= 1000) || !(POST_WARMUP_SECONDS >= 0))
  throw new Error(`BENCH_POST_USERS and BENCH_POST_WARMUP ask for ${POST_CREDITS} credits a user: at most 1000`);
/**
 * BENCH_BACKGROUND_NICE=<1..19> (default 0: off): the processor and notes, which only work behind the
 * submissions, run at that lower CPU priority, as they would on other nodes in production, so on 2 cores
 * the measured routes do not queue behind the pipeline they feed. Videos and billing answer requests and
 * keep the normal priority. The table's title says when it is on.
 */
const BACKGROUND_NICE = Number(process.env.BENCH_BACKGROUND_NICE ?? 0);
/**
 * BENCH_TRACING=<ratio> (default: off): every service traces, sampling that share of new traces, and
 * exports them to a collector stand-in in its own process; compare with a run without it.
 */
const TRACING = process.env.BENCH_TRACING;
if (TRACING !== undefined && !(Number(TRACING) >= 0 && Number(TRACING) <= 1))
  throw new Error(`BENCH_TRACING=${TRACING}: a sampling ratio from 0 to 1`);
/**
 * BENCH_GET_ONLY=1: the bare route and the GET rows only (no submissions), e.g. to compare tracing on
 * and off in many short runs.
 */
const GET_ONLY = process.env.BENCH_GET_ONLY === '1';

async function main() {
  const { id, stack, s3, youtube, stop } = await startBenchStack(TRACING !== undefined, (collector) => ({
    extraEnv: {
      // two runs at the rate and the warm-up, two one at a time (a few hundred over all the users)
      SIGNUP_CREDITS: String(POST_CREDITS),
      RATE_LIMIT_SUBMIT: String(POST_CREDITS),
      REGISTRATIONS_PER_IP: String(POST_USERS + 10),
      ...(collector ? { OTEL_EXPORTER_OTLP_ENDPOINT: collector, OTEL_TRACES_SAMPLER_ARG: TRACING } : {}),
    },
  }));
  if (BACKGROUND_NICE)
    for (const name of ['processor', 'notes'] as const) {
      const pid = stack.services[name].pid;
      // every thread of the process (libuv's pool, V8's helpers), not just the main one
      for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), BACKGROUND_NICE);
    }
  const barePort = await findFreePortRange(1);
  const { child: bare } = await startChild('bare-server.ts', String(barePort));
  try {
    const api = stack.gatewayUrl;
    const users: Record<string, string>[] = [];
    for (let n = 0; n < POST_USERS; n++) users.push(await registerBenchUser(api, `bench-${id}-${n}@example.com`));
    const auth = users[0];
    const youtubeId = (i: number) => benchVideoId(id, i);
    const submit = (i: number) =>
      fetch(`${api}/videos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: `https://youtu.be/${youtubeId(i)}`, transcript: TRANSCRIPT }),
      }).then((r) => r.json() as Promise<{ video_id: string }>);
    // 20 videos to list, all processed before measuring so the pipeline does not compete for the CPU
    const videos: { video_id: string }[] = [];
    for (let i = 0; i < 20; i++) videos.push(await submit(i));
    const deadline = Date.now() + 60_000;
    for (const video of videos)
      while (
        ((await (await fetch(`${api}/videos/${video.video_id}`, { headers: auth })).json()) as { status: string })
          .status !== 'completed'
      ) {
        if (Date.now() > deadline) throw new Error(`video ${video.video_id} did not complete`);
        await new Promise((r) => setTimeout(r, 50));
      }
    const videoUrl = `${api}/videos/${videos[0].video_id}`;

    const pids = { bare: bare.pid, gateway: stack.services.gateway.pid, videos: stack.services.videos.pid };
    // where a submission's CPU goes, process by process: the machine's total alone does not say
    const { services } = stack;
    const spenders: Record<string, () => number> = {
      gateway: () => cpuMs(services.gateway.pid).total,
      videos: () => cpuMs(services.videos.pid).total,
      billing: () => cpuMs(services.billing.pid).total,
      processor: () => cpuMs(services.processor.pid).total,
      notes: () => cpuMs(services.notes.pid).total,
      PostgreSQL: () => cpuMsOfCommand('postgres'),
      'nats-server': () => cpuMsOfCommand('nats-server'),
      'fake YouTube + S3': () => cpuMs(youtube.pid).total + cpuMs(s3.pid).total,
      'load generator': () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      },
    };
    const run = async (name: string, options: Record<string, unknown>, paced?: PacedLoadOptions) => {
      const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
      const spentBefore = Object.fromEntries(Object.entries(spenders).map(([k, read]) => [k, read()]));
      const machineBefore = machineBusyMs();
      // as many as they can (autocannon, closed loop), or at a fixed rate (paced, open loop)
      const result: AutocannonResult = paced
        ? await pacedLoad(paced)
        : await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
      const perRequest = (k: keyof typeof pids) => {
        const after = cpuMs(pids[k]);
        const us = (ms: number) => Math.round((ms * 1000) / Math.max(1, result.requests.total));
        return `${us(after.total - before[k].total)} (${us(after.system - before[k].system)} sys)`;
      };
      const bareRoute = name.startsWith('bare');
      const machineUs = ((machineBusyMs() - machineBefore) * 1000) / Math.max(1, result.requests.total);
      const spent = Object.fromEntries(
        Object.entries(spenders).map(([k, read]) => [
          k,
          Math.round(((read() - spentBefore[k]) * 1000) / Math.max(1, result.requests.total)),
        ]),
      );
      return {
        name,
        result,
        // the rest: the kernel's own work (softirqs), other processes, rounding of the 10 ms ticks
        spent: { route: name, ...spent, rest: Math.round(machineUs - Object.values(spent).reduce((a, b) => a + b, 0)) },
        row: {
          route: name,
          'req/s': result.requests.average,
          'p50 ms': result.latency.p50,
          'p99 ms': result.latency.p99,
          'non-2xx': result.non2xx
            ? Object.entries(result.statusCodeStats ?? {})
                .filter(([code]) => !code.startsWith('2'))
                .map(([code, { count }]) => `${count}×${code}`)
                .join(' ')
            : 0,
          errors: result.errors + result.timeouts,
          // every process on the machine: the services, PostgreSQL, NATS, the fakes and this load generator
          'machine CPU µs/req': Math.round(machineUs),
          'CPU µs/req': bareRoute
            ? `${perRequest('bare')} (server)`
            : `${perRequest('gateway')} gateway + ${perRequest('videos')} videos`,
        },
      };
    };
    // warm both up (JIT, pools, NATS subscriptions) before measuring
    await autocannon({ url: `http://127.0.0.1:${barePort}/ping`, connections: CONNECTIONS, duration: 2 });
    await autocannon({ url: videoUrl, headers: auth, connections: CONNECTIONS, duration: 2 });

    const baseline = await run('bare Nest-Fastify GET /ping', { url: `http://127.0.0.1:${barePort}/ping` });
    const byId = await run('GET /videos/{id}', { url: videoUrl, headers: auth });
    const byIdFixed = await run(
      `GET /videos/{id} at ${GET_RATE} req/s`,
      {},
      { url: videoUrl, headers: auth, connections: 50, rate: GET_RATE, durationS: SECONDS },
    );
    const list = await run('GET /videos?limit=20', { url: `${api}/videos?limit=20`, headers: auth });
    const title = `HTTP (${SECONDS} s per run, ${CONNECTIONS} connections unless a rate is fixed; POST from ${POST_USERS} users${
      BACKGROUND_NICE ? `; processor and notes at nice ${BACKGROUND_NICE}` : ''
    }${TRACING === undefined ? '; tracing off' : `; tracing on, ${Number(TRACING) * 100} % sampled`})`;
    const ratio = (r: AutocannonResult) =>
      `${((100 * r.requests.average) / baseline.result.requests.average).toFixed(1)} %`;
    const getRatios: Record<string, string | number>[] = [
      { route: 'GET /videos/{id}', 'throughput vs bare': ratio(byId.result), target: '≥ 10 %' },
      { route: 'GET /videos?limit=20', 'throughput vs bare': ratio(list.result), target: '' },
      { route: `GET /videos/{id} at ${GET_RATE}/s`, 'p99 ms': byIdFixed.result.latency.p99, target: '≤ 20 ms' },
    ];
    if (GET_ONLY) {
      printTable(title, [baseline.row, byId.row, list.row, byIdFixed.row]);
      printTable('Against the bare route', getRatios);
      return;
    }
    let next = 1000;
    // A submission is a link; a transcript of one's own (for a video without captions) is the exception,
    // and adds an upload to object storage (here the embedded S3 stand-in, itself ~3 ms of CPU per upload).
    const submission = (withTranscript = false) => {
      const n = next++;
      return {
        // a copy: autocannon writes the body's content-length into the headers it is given
        headers: { ...users[n % users.length] },
        body: JSON.stringify({
          url: `https://youtu.be/${youtubeId(n)}`,
          ...(withTranscript ? { transcript: TRANSCRIPT } : {}),
        }),
      };
    };
    const oneAtATime = (name: string, withTranscript: boolean) =>
      run(name, {
        url: `${api}/videos`,
        method: 'POST',
        headers: auth,
        connections: 1,
        duration: 3,
        requests: [
          { setupRequest: (request: Record<string, unknown>) => ({ ...request, ...submission(withTranscript) }) },
        ],
      });
    // one set of connections for the runs at the rate, opened by the warm-up
    const postPool = pacedPool(`${api}/videos`, 50);
    const paced = (durationS: number) => ({
      pool: postPool,
      url: `${api}/videos`,
      method: 'POST' as const,
      headers: auth,
      connections: 50,
      rate: POST_RATE,
      durationS,
      request: () => submission(),
    });
    const atRate = (name: string) => run(name, {}, paced(POST_SECONDS));
    // one at a time first: the latency of a submission itself, before the pipeline has a backlog
    const postAlone = await oneAtATime('POST /videos one at a time', false);
    const postTranscript = await oneAtATime('POST /videos one at a time, 2 KB transcript', true);
    // The processor and notes only work behind the submissions, on nodes of their own in production
    // (scaled by KEDA); here they share the 2 cores. Paused (SIGSTOP) for one row, the submission path
    // alone; then running, draining that row's videos (and the warm-up's) while the next 500 arrive.
    const background = [stack.services.processor.pid, stack.services.notes.pid];
    const paused = async () => {
      for (const pid of background) process.kill(pid!, 'SIGSTOP');
      try {
        // at the rate first, not measured: its 50 connections opened, pools grown, code paths optimised
        await pacedLoad(paced(POST_WARMUP_SECONDS));
        return await atRate(`POST /videos at ${POST_RATE} req/s, pipeline paused`);
      } finally {
        for (const pid of background) process.kill(pid!, 'SIGCONT');
      }
    };
    const postPaused = await paused();
    const post = await atRate(`POST /videos at ${POST_RATE} req/s, pipeline running`).finally(() => postPool.close());
    printTable(title, [
      baseline.row,
      byId.row,
      list.row,
      byIdFixed.row,
      postAlone.row,
      postTranscript.row,
      postPaused.row,
      post.row,
    ]);
    printTable(
      'Where the submissions spent the CPU (µs per request, from /proc)',
      [postAlone, postTranscript, postPaused, post].map((r) => r.spent),
    );
    printTable('Against the bare route', [
      ...getRatios,
      {
        route: `POST /videos at ${POST_RATE}/s, pipeline paused`,
        'p99 ms': postPaused.result.latency.p99,
        target: '≤ 50 ms',
      },
      { route: `POST /videos at ${POST_RATE}/s, pipeline running`, 'p99 ms': post.result.latency.p99, target: '' },
    ]);
  } finally {
    bare.kill('SIGTERM');
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
