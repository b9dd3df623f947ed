import { ProgressData, streamEvents, unwrap } from '@study-buddy/api-client';
import { Context } from './context';
import { describeError } from './errors';
import { CliError, EXIT, ExitCode } from './exit-codes';
import { ProgressView, summaryLine, TERMINAL_STATUSES, VideoProgress } from './progress';

async function titleOf(ctx: Context, videoId: string, signal: AbortSignal): Promise<string | null> {
  const { data } = await ctx.client.GET('/videos/{id}', { params: { path: { id: videoId } }, signal });
  return data?.title ?? null;
}

/** A failure's reason: only a failed or cancelled video has one (a completed one's `message` is "Done"). */
export function errorOf(data: Pick<ProgressData, 'status' | 'error' | 'message'>): string | null {
  if (data.status !== 'failed' && data.status !== 'cancelled') return null;
  return data.error?.message ?? data.message ?? null;
}

/** Follows one video's event stream to its end, reporting each event to `view`. */
async function follow(
  ctx: Context,
  videoId: string,
  view: ProgressView | undefined,
  signal: AbortSignal,
): Promise<VideoProgress> {
  let title: string | null = null;
  let state: VideoProgress = { videoId, title, status: 'queued', step: null, progress: 0 };
  try {
    title = await titleOf(ctx, videoId, signal);
    state = { ...state, title };
    for await (const event of streamEvents(ctx.client, `/videos/${videoId}/events`, { signal })) {
      const data = event.data;
      // The title arrives once videos has read the video's details: asked again until it is known.
      if (title === null && data.step !== state.step) title = await titleOf(ctx, videoId, signal).catch(() => null);
      state = {
        videoId,
        title,
        status: data.status,
        step: data.step ?? null,
        progress: data.progress,
        noteId: data.note_id,
        error: errorOf(data),
      };
      view?.update(state);
      if (TERMINAL_STATUSES.has(state.status)) break;
    }
  } catch (error) {
    // This video's outcome is unknown: said for it, and the others are followed on.
    const { code, message } = describeError(error, ctx.server);
    state = { ...state, failure: { code, message } };
    view?.update(state);
  }
  return state;
}

/**
 * Streams open at once. The gateway allows SSE_MAX_CONNECTIONS_PER_USER (5 by default) per user, and
 * a web app of the same user may hold one: a long playlist is followed a few videos at a time (each
 * stream replays its video's history from the start, so a video followed later misses nothing).
 */
export const MAX_STREAMS = 4;

/**
 * Waits for every video to finish, with live progress (none in --json mode); their final states. A
 * stream that cannot be followed (the server gone, a refusal) is recorded on its video and the others
 * are followed on; all of them stop together (one AbortController) once the session has ended, and
 * none is left running when this returns.
 */
export async function waitForVideos(ctx: Context, videoIds: string[]): Promise<VideoProgress[]> {
  const view = ctx.out.json
    ? undefined
    : new ProgressView(
        (text) => ctx.out.stdout.write(text),
        ctx.out.tty,
        () => ctx.out.stdout.columns ?? 100,
        () => ctx.out.stdout.rows ?? 24,
      );
  const stop = new AbortController();
  const videos: VideoProgress[] = new Array(videoIds.length);
  let next = 0;
  const worker = async () => {
    while (next < videoIds.length) {
      const index = next++;
      if (stop.signal.aborted) {
        videos[index] = {
          videoId: videoIds[index],
          title: null,
          status: 'queued',
          step: null,
          progress: 0,
          failure: { code: EXIT.auth, message: 'Not followed: the session ended' },
        };
        continue;
      }
      videos[index] = await follow(ctx, videoIds[index], view, stop.signal);
      // the session is over: every other stream would be refused the same way
      if (videos[index].failure?.code === EXIT.auth) stop.abort();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(MAX_STREAMS, videoIds.length) }, worker));
  } finally {
    stop.abort();
  }
  view?.finish();
  if (view && ctx.out.tty) for (const video of videos) ctx.out.line(summaryLine(video));
  return videos;
}

/**
 * The error to exit with after waiting, if any: a video followed to its end that failed or was
 * cancelled is exit code 5; a video that could not be followed to its end says why instead (its
 * outcome is unknown): 3 the session ended, 6 the server unreachable, 7 refused, 1 anything else.
 */
export function waitOutcome(videos: VideoProgress[]): CliError | undefined {
  const lost = videos.filter((v) => v.failure);
  if (lost.length > 0) {
    const codes = lost.map((v) => v.failure!.code);
    const rank: ExitCode[] = [EXIT.auth, EXIT.unreachable, EXIT.refused];
    const code = rank.find((c) => codes.includes(c)) ?? codes[0];
    const first = lost.find((v) => v.failure!.code === code)!;
    return new CliError(
      code,
      `${lost.length} of ${videos.length} video(s) could not be followed to the end: ${first.failure!.message}`,
    );
  }
  const failed = videos.filter((v) => v.status !== 'completed');
  if (failed.length > 0)
    return new CliError(EXIT.videoFailed, `${failed.length} of ${videos.length} video(s) did not complete`);
  return undefined;
}

/** The videos of a playlist, in playlist order. */
export async function playlistVideoIds(ctx: Context, playlistId: string): Promise<string[]> {
  const playlist = unwrap(await ctx.client.GET('/playlists/{id}', { params: { path: { id: playlistId } } }));
  return playlist.items.filter((item) => item.status !== 'deleted').map((item) => item.video_id);
}
