import type { Command } from 'commander';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { printable } from '../output';
import { renderMarkdown } from '../render-markdown';

export function showCommand(program: Command): void {
  program
    .command('show')
    .description('a note, rendered for the terminal (plain text when not on one)')
    .argument('<note-id>', 'the note (from ls, search, or add --wait)')
    .option('--raw', 'the Markdown as stored, front matter included')
    .action(
      action(async (ctx, noteId: string, options: { raw?: boolean }) => {
        await ctx.requireLogin();
        const note = unwrap(
          await ctx.client.GET('/notes/{id}', { params: { path: { id: noteId }, query: { include_content: 'true' } } }),
        );
        if (ctx.out.json) return ctx.out.result(note);
        const content = note.content ?? '';
        // --raw is the Markdown as stored, but on a terminal without its control characters (escape sequences)
        const raw = () => (ctx.out.stdout.isTTY ? printable(content) : content);
        ctx.out.stdout.write(options.raw ? raw() : renderMarkdown(content, ctx.out.tty));
      }),
    );
}
