import type { Command } from 'commander';
import { unwrap, type paths } from '@study-buddy/api-client';
import { action } from '../command';
import { CliError, EXIT } from '../exit-codes';
import { parseLimit } from '../options';
import { printable } from '../output';
import { stepLabel } from '../progress';

const STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];
type VideoItem = paths['/videos']['get']['responses'][200]['content']['application/json']['items'][number];

export function lsCommand(program: Command): void {
  program
    .command('ls')
    .description('your videos, newest first, with their status')
    .option('--status <status>', `only these: ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'at most this many', '50')
    .action(
      action(async (ctx, options: { status?: string; limit: string }) => {
        const limit = parseLimit(options.limit)!;
        if (options.status && !STATUSES.includes(options.status as Status))
          throw new CliError(EXIT.usage, `--status must be one of ${STATUSES.join(', ')}`);
        await ctx.requireLogin();
        const items: VideoItem[] = [];
        let cursor: string | undefined;
        do {
          const query = {
            limit: Math.min(100, limit - items.length),
            ...(cursor ? { cursor } : {}),
            ...(options.status ? { status: options.status as Status } : {}),
          };
          const page = unwrap(await ctx.client.GET('/videos', { params: { query } }));
          items.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor && items.length < limit);
        if (ctx.out.json) return ctx.out.result(items);
        if (items.length === 0) return ctx.out.line('No videos yet: add one with study-buddy add <link>');
        for (const video of items) {
          const label = stepLabel({
            videoId: video.video_id,
            title: video.title,
            status: video.status,
            step: video.step,
            progress: video.progress,
            noteId: video.note_id,
            error: video.error?.message,
          });
          ctx.out.line(
            printable(
              `${video.video_id}  ${String(video.progress).padStart(3)}%  ${label.padEnd(22)}  ${video.title ?? video.youtube_video_id}`,
            ),
          );
        }
      }),
    );
}
