// End to end: submit → completed through the five services (offline note writer),
// with the latency of the submission itself and of the whole pipeline. `npm run bench:pipeline`
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePortRange, startDevStack } from '@study-buddy/devstack';
import { startFakeYouTube } from '@study-buddy/testing';
import { registerBenchUser } from './bench-user';
import { benchVideoId } from './video-ids';
import { cpuMs } from './proc-cpu';
import { percentiles, printTable, timed } from './stats';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 40);
const lecture = readFileSync(
  path.resolve(__dirname, '../services/processor/test/fixtures/photosynthesis-lecture.txt'),
  'utf8',
);

async function main() {
  const id = randomBytes(3).toString('hex');
  // videos looks each submission up on YouTube: the fake, never the internet
  const youtube = await startFakeYouTube();
  const stack = await startDevStack({
    workspace: path.resolve(__dirname, '..'),
    dataDirectory: mkdtempSync(path.join(tmpdir(), 'study-buddy-bench-')),
    basePort: await findFreePortRange(5),
    s3Port: 0,
    isolation: { schemaPrefix: `bench${id}_`, namespace: `bench${id}.`, streamPrefix: `BENCH${id.toUpperCase()}_` },
    output: 'files',
    // one user submits every video: the per-user submission limit would measure itself, not the pipeline
    extraEnv: {
      SIGNUP_CREDITS: String(VIDEOS * 2 + 10),
      RATE_LIMIT_SUBMIT: String(VIDEOS * 2 + 10),
      YOUTUBE_BASE_URL: youtube.url,
    },
  });
  try {
    const api = stack.gatewayUrl;
    const auth = await registerBenchUser(api, `bench-${id}@example.com`);
    const videoId = (i: number) => benchVideoId(`b${id}`, i);

    const run = async (offset: number, concurrency: number) => {
      const submitMs: number[] = [];
      const endToEndMs: number[] = [];
      let failed = false;
      const one = async (i: number) => {
        if (failed) return;
        const started = Date.now();
        const [response, ms] = await timed(() =>
          fetch(`${api}/videos`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ url: `https://youtu.be/${videoId(i)}`, transcript: lecture }),
          }),
        );
        submitMs.push(ms);
        const submitted = (await response.json()) as { video_id: string };
        if (response.status !== 202) failed = true;
        if (response.status !== 202)
          throw new Error(`POST /videos answered ${response.status}: ${JSON.stringify(submitted)}`);
        const deadline = Date.now() + 60_000;
        for (;;) {
          const video = (await (await fetch(`${api}/videos/${submitted.video_id}`, { headers: auth })).json()) as {
            status: string;
          };
          if (video.status === 'completed') break;
          if (failed) return;
          if (video.status === 'failed' || Date.now() > deadline) {
            failed = true;
            throw new Error(`video ${submitted.video_id} did not complete: ${JSON.stringify(video)}`);
          }
          await new Promise((r) => setTimeout(r, 10));
        }
        endToEndMs.push(Date.now() - started);
      };
      const services = Object.entries(stack.services) as [string, { pid?: number }][];
      const before = services.map(([, service]) => cpuMs(service.pid).total);
      const [, wallMs] = await timed(async () => {
        for (let i = 0; i < VIDEOS; i += concurrency)
          await Promise.all(Array.from({ length: Math.min(concurrency, VIDEOS - i) }, (_, k) => one(offset + i + k)));
      });
      const s = percentiles(submitMs);
      const e = percentiles(endToEndMs);
      // where the CPU goes: what each service spent per video (the pipeline's work runs after the 202)
      cpu.push({
        mode: concurrency === 1 ? 'one at a time' : `${concurrency} at once`,
        ...Object.fromEntries(
          services.map(([name, service], i) => [`${name} ms`, (cpuMs(service.pid).total - before[i]) / VIDEOS]),
        ),
      });
      return {
        mode: concurrency === 1 ? 'one at a time' : `${concurrency} at once`,
        'POST /videos p50 ms': s.p50,
        'POST /videos p99 ms': s.p99,
        'to completed p50 ms': e.p50,
        'to completed p99 ms': e.p99,
        'videos/s': VIDEOS / (wallMs / 1000),
      };
    };
    const cpu: Record<string, string | number>[] = [];
    const sequential = await run(0, 1);
    const concurrent = await run(VIDEOS, 8);
    printTable(`Pipeline, ${VIDEOS} videos per mode (offline writer)`, [sequential, concurrent]);
    printTable('CPU per video, by service (from /proc)', cpu);
    console.log(
      `throughput 8-at-once / one-at-a-time: ${(concurrent['videos/s'] / sequential['videos/s']).toFixed(2)}`,
    );
  } finally {
    await stack.stop();
    await stack.removeData();
    await youtube.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
