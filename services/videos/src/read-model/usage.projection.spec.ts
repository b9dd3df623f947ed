import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { videoStream } from '../domain/video.decider';
import { usageProjection } from './usage.projection';
import { UsageQueries } from './usage.queries';

/** The monthly spend `GET /usage` shows, on the real PostgreSQL. */
describe('usage by month projection', () => {
  let read: ProjectionSpec;
  let queries: UsageQueries;
  const userId = randomUUID();
  const usage = (calls: number, cost: number | null) => ({
    calls,
    inputTokens: 100 * calls,
    outputTokens: 10 * calls,
    cacheReadTokens: 1000 * calls,
    cacheWriteTokens: 2000 * calls,
    estimatedCostUsd: cost,
  });

  beforeEach(async () => {
    read = await projectionSpec(usageProjection);
    queries = new UsageQueries(read.pool, read.schema);
  });
  afterEach(() => read.close());

  const submitted = (videoId: string, owner = userId, attempt = 1) => ({
    stream: videoStream(videoId),
    type: 'VideoSubmitted',
    data: {
      videoId,
      userId: owner,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      ...(attempt > 1 ? { attempt } : {}),
      submittedAt: '2026-10-01T00:00:00.000Z',
    },
  });
  const recorded = (videoId: string, at: string, u: ReturnType<typeof usage>, attempt?: number) => ({
    stream: videoStream(videoId),
    type: 'VideoUsageRecorded',
    data: { videoId, ...(attempt ? { attempt } : {}), usage: u, at },
  });

  it('adds up every attempt of every video per UTC month, newest first, each video once per month', async () => {
    const [a, b, other] = [randomUUID(), randomUUID(), randomUUID()];
    await read.given([
      submitted(a),
      submitted(b),
      submitted(other, randomUUID()),
      recorded(a, '2026-10-31T23:59:59.999Z', usage(2, 0.01)),
      // a retry starts the video over; what the first attempt spent stays spent
      submitted(a, userId, 2),
      recorded(a, '2026-11-01T00:00:00.000Z', usage(3, 0.02), 2),
      recorded(b, '2026-11-15T12:00:00.000Z', usage(1, 0.000001)),
      recorded(a, '2026-11-20T12:00:00.000Z', usage(1, 0.5), 3),
      recorded(other, '2026-11-20T12:00:00.000Z', usage(9, 9)),
      {
        stream: videoStream(b),
        type: 'VideoDeleted',
        data: { videoId: b, userId, attempt: 1, deletedAt: '2026-11-21T00:00:00.000Z' },
      },
    ]);
    await read.catchUp();
    const reply = await queries.byMonth({ userId });
    expect(reply.months).toEqual([
      {
        month: '2026-11',
        videos: 2,
        calls: 5,
        inputTokens: 500,
        outputTokens: 50,
        cacheReadTokens: 5000,
        cacheWriteTokens: 10000,
        estimatedCostUsd: 0.520001,
      },
      { month: '2026-10', videos: 1, ...usage(2, 0.01) },
    ]);
    // video a spent in both months: one video over the period
    expect(reply.total).toEqual({ videos: 2, ...usage(7, 0.530001) });
    await expect(queries.byMonth({ userId, from: '2026-11' })).resolves.toMatchObject({
      months: [{ month: '2026-11' }],
      total: { videos: 2, calls: 5 },
    });
    await expect(queries.byMonth({ userId, to: '2026-10' })).resolves.toMatchObject({
      months: [{ month: '2026-10' }],
      total: { videos: 1, calls: 2 },
    });
    await expect(queries.byMonth({ userId: randomUUID() })).resolves.toEqual({
      months: [],
      total: { videos: 0, ...usage(0, 0) },
    });
  });

  it('counts a failed attempt’s usage, and each attempt once however often it is recorded', async () => {
    const a = randomUUID();
    await read.given([
      submitted(a),
      {
        stream: videoStream(a),
        type: 'VideoFailed',
        data: {
          videoId: a,
          userId,
          error: 'refused',
          failedStep: 'generating_notes',
          retryable: true,
          attempt: 1,
          failedAt: '2026-09-01T00:00:00.000Z',
        },
      },
      recorded(a, '2026-09-01T00:00:00.000Z', usage(2, 0.02), 1),
      // the same attempt again, and the first attempt as events before attempts were numbered name it
      recorded(a, '2026-09-02T00:00:00.000Z', usage(2, 0.02), 1),
      recorded(a, '2026-09-02T00:00:00.000Z', usage(2, 0.02)),
      submitted(a, userId, 2),
      recorded(a, '2026-09-03T00:00:00.000Z', usage(1, 0.01), 2),
    ]);
    await read.catchUp();
    const reply = await queries.byMonth({ userId });
    expect(reply.months).toEqual([{ month: '2026-09', videos: 1, ...usage(3, 0.03) }]);
  });

  it('shows a month’s cost as unknown (null) when some of its usage had no price, and the other months’ as usual', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await read.given([
      submitted(a),
      submitted(b),
      recorded(a, '2026-12-01T08:00:00.000Z', usage(1, null)),
      recorded(b, '2026-12-02T08:00:00.000Z', usage(1, 0.25)),
      recorded(b, '2026-11-02T08:00:00.000Z', usage(1, 0.25), 2),
    ]);
    await read.catchUp();
    const reply = await queries.byMonth({ userId });
    expect(reply.months.map((m) => [m.month, m.videos, m.calls, m.estimatedCostUsd])).toEqual([
      ['2026-12', 2, 2, null],
      ['2026-11', 1, 1, 0.25],
    ]);
    expect(reply.total).toMatchObject({ videos: 2, calls: 3, estimatedCostUsd: null });
  });
});
