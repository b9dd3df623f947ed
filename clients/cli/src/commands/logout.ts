import type { Command } from 'commander';
import { action } from '../command';
import { describeError } from '../errors';
import { CliError, EXIT } from '../exit-codes';

export function logoutCommand(program: Command): void {
  program
    .command('logout')
    .description('end this session on the server and forget its tokens')
    .action(
      action(async (ctx) => {
        await ctx.requireLogin();
        let status: number;
        try {
          ({
            response: { status },
          } = await ctx.client.POST('/auth/logout'));
        } catch (error) {
          const { code, message } = describeError(error, ctx.server);
          if (code === EXIT.unreachable)
            throw new CliError(
              code,
              `${message}: the session could not be ended on the server, but it is forgotten here (its tokens are deleted)`,
            );
          throw error;
        } finally {
          // Whatever the server said or did not say (a session that already ended answers 401), nothing of it stays here.
          await ctx.client.session.clear();
        }
        if (ctx.out.json) ctx.out.result({ server: ctx.server, logged_out: true, server_status: status });
        else ctx.out.line(`Logged out of ${ctx.server}`);
      }),
    );
}
