// The fake YouTube in its own process for bench/http.bench.ts: videos asks YouTube for every submission's
// details and thumbnail after answering it, as in production, and a benchmark never reaches the internet.
// `... bench/youtube-server.ts <bench id>`: it knows the videos the benchmark submits (see benchVideoId).
import { startFakeYouTube } from '@study-buddy/testing';
import { BENCH_VIDEO_NUMBERS, benchVideoId } from './video-ids';

const id = process.argv[2];
const videos = Object.fromEntries(
  BENCH_VIDEO_NUMBERS.map((n) => [
    benchVideoId(id, n),
    { title: `Bench video ${n}`, channel: 'Bench', lengthSeconds: 600 },
  ]),
);
void startFakeYouTube(videos).then((youtube) => process.send?.(youtube.url));
