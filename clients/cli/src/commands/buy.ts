import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { Context } from '../context';
import { printable } from '../output';

/** Asks the desktop to open `url` (xdg-open, open, start); says so when it cannot. */
function openInBrowser(ctx: Context, url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', () => ctx.out.warn(`could not start ${command}: open the link yourself`));
  child.unref();
}

async function listPackages(ctx: Context): Promise<void> {
  const { items } = unwrap(await ctx.client.GET('/credits/packages'));
  if (ctx.out.json) return ctx.out.result(items);
  for (const p of items)
    ctx.out.line(
      `${p.id.padEnd(10)} ${String(p.credits).padStart(4)} credits  ${(p.amount / 100).toFixed(2)} ${p.currency.toUpperCase()}`,
    );
  ctx.out.line('Buy one with: study-buddy buy <package>');
}

export function buyCommand(program: Command): void {
  program
    .command('buy')
    .description('buy credits: prints the Stripe Checkout link for a package (no package: the list)')
    .argument('[package]', 'a package id, e.g. basic')
    .option('--open', 'open the link in the browser too')
    .action(
      action(async (ctx, pkg: string | undefined, options: { open?: boolean }) => {
        if (!pkg) return listPackages(ctx);
        await ctx.requireLogin();
        const checkout = unwrap(await ctx.client.POST('/credits/checkout', { body: { package: pkg } }));
        if (ctx.out.json) ctx.out.result(checkout);
        else {
          ctx.out.line(printable(checkout.checkout_url));
          ctx.out.stderr.write(
            `${printable(`Pay before ${checkout.expires_at}`)}; the credits arrive once Stripe confirms the payment.\n`,
          );
        }
        if (options.open) {
          if (/^https?:\/\//i.test(checkout.checkout_url)) openInBrowser(ctx, checkout.checkout_url);
          else ctx.out.warn('the checkout link is not an http(s) link: not opened');
        }
      }),
    );
}
