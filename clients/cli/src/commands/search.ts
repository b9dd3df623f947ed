import type { Command } from 'commander';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { parseLimit } from '../options';
import { printable, style } from '../output';
import { renderSnippet } from '../render-markdown';

export function searchCommand(program: Command): void {
  program
    .command('search')
    .description('search your notes (web-search syntax: "a phrase", OR, -word)')
    .argument('<words...>', 'what to look for')
    .option('--subject <subject>', 'only notes of this subject')
    .option('--limit <n>', 'at most this many (at most 100)', '10')
    .action(
      action(async (ctx, words: string[], options: { subject?: string; limit: string }) => {
        const limit = parseLimit(options.limit, 100)!;
        await ctx.requireLogin();
        const query = {
          q: words.join(' '),
          limit,
          ...(options.subject ? { subject: options.subject } : {}),
        };
        const { items } = unwrap(await ctx.client.GET('/notes', { params: { query } }));
        if (ctx.out.json) return ctx.out.result(items);
        if (items.length === 0) return ctx.out.line(`No notes match ${query.q}`);
        const tty = ctx.out.tty;
        for (const note of items) {
          const title = printable(note.title);
          ctx.out.line(
            `${tty ? style.bold(title) : title}  ${tty ? style.dim(`${printable(note.subject)} · ${note.note_id}`) : `(${printable(note.subject)}) ${note.note_id}`}`,
          );
          if (note.snippet) ctx.out.line(`  ${renderSnippet(note.snippet, tty)}`);
        }
      }),
    );
}
