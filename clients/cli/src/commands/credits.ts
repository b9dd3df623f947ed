import type { Command } from 'commander';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { parseLimit } from '../options';
import { printable } from '../output';

export function creditsCommand(program: Command): void {
  program
    .command('credits')
    .description('your credit balance and its latest moves')
    .option('--limit <n>', 'history entries to show (at most 100)', '10')
    .action(
      action(async (ctx, options: { limit: string }) => {
        const limit = parseLimit(options.limit, 100)!;
        await ctx.requireLogin();
        const balance = unwrap(await ctx.client.GET('/credits'));
        const history = unwrap(await ctx.client.GET('/credits/history', { params: { query: { limit } } }));
        if (ctx.out.json) return ctx.out.result({ ...balance, history: history.items });
        const debt = balance.debt ? `, ${balance.debt} owed` : '';
        ctx.out.line(
          `Balance: ${balance.balance} credit${balance.balance === 1 ? '' : 's'} (${balance.reserved} reserved${debt})`,
        );
        if (history.items.length === 0) return;
        ctx.out.line('');
        for (const entry of history.items) {
          const amount = entry.amount > 0 ? `+${entry.amount}` : String(entry.amount);
          const paid =
            entry.amount_paid !== null && entry.currency
              ? ` ${(entry.amount_paid / 100).toFixed(2)} ${entry.currency.toUpperCase()}`
              : '';
          const about = entry.package_id ?? entry.video_id ?? entry.reason ?? '';
          ctx.out.line(
            printable(
              `${entry.occurred_at.slice(0, 16).replace('T', ' ')}  ${entry.kind.padEnd(9)} ${amount.padStart(4)}  → ${String(entry.balance_after).padStart(3)}  ${about}${paid}`,
            ),
          );
        }
      }),
    );
}
