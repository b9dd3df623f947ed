import { streamEvents, unwrap } from '@study-buddy/api-client';
import { Context } from './context';
import { ProgressView, summaryLine, TERMINAL_STATUSES, VideoProgress } from './progress';

async function titleOf(ctx: Context, videoId: string): Promise<string | null> {
  const { data } = await ctx.client.GET('/videos/{id}', { params: { path: { id: videoId } } });
  return data?.title ?? null;
}

/** Follows one video's event stream to its end, reporting each event to `view`. */
async function follow(ctx: Context, videoId: string, view: ProgressView | undefined): Promise<VideoProgress> {
  let title = await titleOf(ctx, videoId);
  let state: VideoProgress = { videoId, title, status: 'queued', step: null, progress: 0 };
  for await (const event of streamEvents(ctx.client, `/videos/${videoId}/events`)) {
    const data = event.data;
    // The title arrives once videos has read the video's details: asked again until it is known.
    if (title === null && data.step !== state.step) title = await titleOf(ctx, videoId).catch(() => null);
    state = {
      videoId,
      title,
      status: data.status,
      step: data.step ?? null,
      progress: data.progress,
      noteId: data.note_id,
      error: data.error?.message ?? data.message,
    };
    view?.update(state);
    if (TERMINAL_STATUSES.has(state.status)) break;
  }
  return state;
}

/**
 * Streams open at once. The gateway allows SSE_MAX_CONNECTIONS_PER_USER (5 by default) per user, and
 * a web app of the same user may hold one: a long playlist is followed a few videos at a time (each
 * stream replays its video's history from the start, so a video followed later misses nothing).
 */
export const MAX_STREAMS = 4;

/** Waits for every video to finish, with live progress (none in --json mode); their final states. */
export async function waitForVideos(ctx: Context, videoIds: string[]): Promise<VideoProgress[]> {
  const view = ctx.out.json
    ? undefined
    : new ProgressView(
        (text) => ctx.out.stdout.write(text),
        ctx.out.tty,
        () => ctx.out.stdout.columns ?? 100,
      );
  const videos: VideoProgress[] = new Array(videoIds.length);
  let next = 0;
  const worker = async () => {
    while (next < videoIds.length) {
      const index = next++;
      videos[index] = await follow(ctx, videoIds[index], view);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_STREAMS, videoIds.length) }, worker));
  if (view && ctx.out.tty) for (const video of videos) ctx.out.line(summaryLine(video));
  return videos;
}

/** The videos of a playlist, in playlist order. */
export async function playlistVideoIds(ctx: Context, playlistId: string): Promise<string[]> {
  const playlist = unwrap(await ctx.client.GET('/playlists/{id}', { params: { path: { id: playlistId } } }));
  return playlist.items.filter((item) => item.status !== 'deleted').map((item) => item.video_id);
}
