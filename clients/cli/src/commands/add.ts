import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { Context } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { isPlaylistLink } from '../links';
import { parseLimit } from '../options';
import { printable } from '../output';
import { playlistVideoIds, waitForVideos, waitOutcome } from '../wait';

interface AddOptions {
  subject?: string;
  language?: string;
  assessment: boolean;
  wait?: boolean;
  playlist?: boolean;
  partial?: boolean;
  limit?: string;
  transcript?: string;
}

function settings(options: AddOptions) {
  return {
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(options.assessment === false ? { assessment: false } : {}),
  };
}

async function addVideo(ctx: Context, url: string, options: AddOptions) {
  const transcript = options.transcript === undefined ? undefined : readTranscript(options.transcript);
  const body = { url, ...settings(options), ...(transcript ? { transcript } : {}) };
  const reply = unwrap(await ctx.client.POST('/videos', { body }));
  // With --wait the progress lines say the same, and more.
  if (!ctx.out.json && !options.wait) ctx.out.line(`${reply.video_id} ${reply.youtube_video_id} ${reply.status}`);
  return { result: reply as Record<string, unknown>, videoIds: [reply.video_id] };
}

/** A transcript file (plain text, SRT or WebVTT); `-` is stdin. */
function readTranscript(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      EXIT.usage,
      `Cannot read the transcript ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

async function addPlaylist(ctx: Context, url: string, options: AddOptions) {
  const limit = parseLimit(options.limit);
  const body = {
    url,
    ...settings(options),
    ...(limit ? { limit } : {}),
    ...(options.partial ? { partial: true } : {}),
  };
  const reply = unwrap(await ctx.client.POST('/videos/playlist', { body }));
  if (!ctx.out.json) {
    ctx.out.line(printable(`Playlist ${reply.title ?? reply.youtube_playlist_id} (${reply.playlist_id})`));
    ctx.out.line(
      `  ${reply.submitted} submitted, ${reply.existing} already yours, ${reply.not_submitted} not submitted${reply.truncated ? ' (truncated at the limit)' : ''}`,
    );
  }
  const videoIds = options.wait ? await playlistVideoIds(ctx, reply.playlist_id) : [];
  return { result: reply as Record<string, unknown>, videoIds };
}

export function addCommand(program: Command): void {
  program
    .command('add')
    .description('submit a YouTube video or playlist link (one credit a video)')
    .argument('<url>', 'a video link, or a playlist link (list=…)')
    .option('--subject <subject>', 'file the notes under this subject')
    .option('--language <code>', 'write the notes in this language (e.g. en, de)')
    .option('--no-assessment', 'no assessment questions')
    .option('--wait', 'follow the progress until every video is done')
    .option('--transcript <file>', 'the transcript (text, SRT or WebVTT; - for stdin) instead of YouTube captions')
    .option('--playlist', 'treat a watch link with list= as its playlist')
    .option('--partial', 'playlist: submit as many videos as the credits cover')
    .option('--limit <n>', 'playlist: at most this many videos')
    .action(
      action(async (ctx, url: string, options: AddOptions) => {
        const playlist = options.playlist || isPlaylistLink(url);
        if (playlist && options.transcript)
          throw new CliError(EXIT.usage, '--transcript is for one video, not a playlist');
        if (!playlist && (options.limit !== undefined || options.partial))
          throw new CliError(EXIT.usage, '--limit and --partial are for a playlist');
        parseLimit(options.limit);
        await ctx.requireLogin();
        const added = playlist ? await addPlaylist(ctx, url, options) : await addVideo(ctx, url, options);
        if (!options.wait) {
          if (ctx.out.json) ctx.out.result(added.result);
          return;
        }
        const videos = await waitForVideos(ctx, added.videoIds);
        if (ctx.out.json)
          ctx.out.result({
            ...added.result,
            videos: videos.map((v) => ({
              video_id: v.videoId,
              title: v.title,
              status: v.status,
              note_id: v.noteId ?? null,
              error: v.status === 'failed' || v.status === 'cancelled' ? (v.error ?? null) : null,
              ...(v.failure ? { followed: false, follow_error: v.failure.message } : {}),
            })),
          });
        const outcome = waitOutcome(videos);
        if (outcome) throw outcome;
      }),
    );
}
