import type { Command } from 'commander';
import { ApiError, unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { CliError, EXIT } from '../exit-codes';
import { readEmail, readPassword } from './credentials-input';

export function loginCommand(program: Command): void {
  program
    .command('login')
    .description('log in; the session is kept in credentials.json (mode 0600)')
    .option('--email <email>', 'the account (asked for on a terminal when left out)')
    .option('--password-stdin', 'read the password from stdin (also when stdin is not a terminal)')
    .action(
      action(async (ctx, options: { email?: string; passwordStdin?: boolean }) => {
        const email = await readEmail(options.email);
        const password = await readPassword(ctx, options);
        try {
          const reply = unwrap(await ctx.clientFor(email).POST('/auth/login', { body: { email, password } }));
          if (ctx.out.json) ctx.out.result({ server: ctx.server, email, user_id: reply.user_id });
          else ctx.out.line(`Logged in to ${ctx.server} as ${email}`);
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) throw new CliError(EXIT.auth, error.message);
          throw error;
        }
      }),
    );
}
