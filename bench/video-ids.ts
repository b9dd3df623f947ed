/** The YouTube id of the benchmark's n-th video (11 characters, unique per run). */
export const benchVideoId = (runId: string, n: number) =>
  `${runId}${String(n).padStart(11 - runId.length, '0')}`.slice(0, 11);

/** The first 20 are listed and read; submissions under load count up from 1000. */
export const BENCH_VIDEO_NUMBERS = [
  ...Array.from({ length: 20 }, (_, n) => n),
  ...Array.from({ length: 5000 }, (_, n) => 1000 + n),
];
