import type { Command } from 'commander';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { readEmail, readPassword } from './credentials-input';

export function registerCommand(program: Command): void {
  program
    .command('register')
    .description('create an account and log in to it')
    .option('--email <email>', 'the account (asked for on a terminal when left out)')
    .option('--name <name>', 'your name')
    .option('--password-stdin', 'read the password from stdin (also when stdin is not a terminal)')
    .action(
      action(async (ctx, options: { email?: string; name?: string; passwordStdin?: boolean }) => {
        const email = await readEmail(options.email);
        const password = await readPassword(ctx, { ...options, confirm: true });
        const body = { email, password, ...(options.name ? { name: options.name } : {}) };
        const reply = unwrap(await ctx.clientFor(email).POST('/auth/register', { body }));
        if (ctx.out.json) ctx.out.result({ server: ctx.server, email, user_id: reply.user_id });
        else ctx.out.line(`Registered ${email} at ${ctx.server}, and logged in`);
      }),
    );
}
