// Processor throughput with the Claude writer against the fake Messages API answering every call after a
// fixed delay: videos per minute on ONE processor replica at JOB_CONCURRENCY=1 and =8. `npm run bench:concurrency`
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePortRange, startDevStack } from '@study-buddy/devstack';
import { LECTURE_SENTENCES, startFakeAnthropic, startFakeYouTube } from '@study-buddy/testing';
import { registerBenchUser } from './bench-user';
import { benchVideoId } from './video-ids';
import { percentiles, printTable } from './stats';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 24);
const CALL_DELAY_MS = Number(process.env.BENCH_CALL_DELAY_MS ?? 1000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map(Number);

const srtTime = (s: number) =>
  `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`;
/** The lecture as SubRip, so the fake's note cites real moments. */
const srt = LECTURE_SENTENCES.map(
  (text, i) => `${i + 1}\n${srtTime(3 + i * 7)} --> ${srtTime(9 + i * 7)}\n${text}\n`,
).join('\n');

async function measure(concurrency: number, fake: { apiKey: string; baseUrl: string }, youtubeUrl: string) {
  const id = randomBytes(3).toString('hex');
  const stack = await startDevStack({
    workspace: path.resolve(__dirname, '..'),
    dataDirectory: mkdtempSync(path.join(tmpdir(), 'study-buddy-bench-')),
    basePort: await findFreePortRange(5),
    s3Port: 0,
    isolation: { schemaPrefix: `bench${id}_`, namespace: `bench${id}.`, streamPrefix: `BENCH${id.toUpperCase()}_` },
    output: 'files',
    extraEnv: {
      SIGNUP_CREDITS: String(VIDEOS + 10),
      RATE_LIMIT_SUBMIT: String(VIDEOS + 10),
      YOUTUBE_BASE_URL: youtubeUrl,
    },
    serviceEnv: {
      processor: {
        ANTHROPIC_API_KEY: fake.apiKey,
        ANTHROPIC_BASE_URL: fake.baseUrl,
        NOTE_WRITER: 'claude',
        JOB_CONCURRENCY: String(concurrency),
      },
    },
  });
  try {
    const api = stack.gatewayUrl;
    const auth = await registerBenchUser(api, `bench-${id}@example.com`);
    const videoId = (i: number) => benchVideoId(`c${id}`, i);

    const started = Date.now();
    // every video queued at once: the processor, not the submitter, sets the pace
    const submitted = await Promise.all(
      Array.from({ length: VIDEOS }, async (_, i) => {
        const response = await fetch(`${api}/videos`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ url: `https://youtu.be/${videoId(i)}`, transcript: srt }),
        });
        const body = (await response.json()) as { video_id: string };
        if (response.status !== 202)
          throw new Error(`POST /videos answered ${response.status}: ${JSON.stringify(body)}`);
        return body.video_id as string;
      }),
    );
    const completedAt = new Map<string, number>();
    const deadline = Date.now() + 60_000 + VIDEOS * 4 * CALL_DELAY_MS;
    while (completedAt.size < VIDEOS) {
      const page = (await (await fetch(`${api}/videos?limit=100`, { headers: auth })).json()) as {
        items: { video_id: string; status: string }[];
      };
      for (const video of page.items as Array<{ video_id: string; status: string }>) {
        if (video.status === 'failed') throw new Error(`video ${video.video_id} failed: ${JSON.stringify(video)}`);
        if (video.status === 'completed' && !completedAt.has(video.video_id))
          completedAt.set(video.video_id, Date.now());
      }
      if (Date.now() > deadline) throw new Error(`${completedAt.size} of ${VIDEOS} videos completed in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = Math.max(...completedAt.values()) - started;
    const latency = percentiles(submitted.map((v) => completedAt.get(v)! - started));
    return {
      JOB_CONCURRENCY: concurrency,
      videos: VIDEOS,
      'wall s': wallMs / 1000,
      'videos/min': VIDEOS / (wallMs / 60_000),
      'to completed p50 s': latency.p50 / 1000,
      'to completed max s': latency.max / 1000,
    };
  } finally {
    await stack.stop();
    await stack.removeData();
  }
}

async function main() {
  const fake = await startFakeAnthropic();
  // every call (note, assessment) answers after the same delay: Claude's latency, not its content, is measured
  fake.setDefault({ kind: 'default', delayMs: CALL_DELAY_MS });
  const youtube = await startFakeYouTube();
  try {
    const rows = [];
    for (const level of LEVELS) {
      fake.reset();
      fake.setDefault({ kind: 'default', delayMs: CALL_DELAY_MS });
      const row = await measure(level, fake, youtube.url);
      rows.push({ ...row, 'Claude calls': fake.requests.length });
    }
    printTable(`One processor replica, ${VIDEOS} videos, every Claude call answered after ${CALL_DELAY_MS} ms`, rows);
    const base = rows[0];
    for (const row of rows.slice(1))
      console.log(
        `throughput JOB_CONCURRENCY=${row.JOB_CONCURRENCY} / JOB_CONCURRENCY=${base.JOB_CONCURRENCY}: ${(row['videos/min'] / base['videos/min']).toFixed(2)}×`,
      );
  } finally {
    await fake.close();
    await youtube.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
