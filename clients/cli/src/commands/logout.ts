import type { Command } from 'commander';
import { action } from '../command';

export function logoutCommand(program: Command): void {
  program
    .command('logout')
    .description('end this session on the server and forget its tokens')
    .action(
      action(async (ctx) => {
        await ctx.requireLogin();
        const { response } = await ctx.client.POST('/auth/logout');
        // Whatever the server said (a session that already ended answers 401), nothing of it stays here.
        await ctx.client.session.clear();
        if (ctx.out.json) ctx.out.result({ server: ctx.server, logged_out: true, server_status: response.status });
        else ctx.out.line(`Logged out of ${ctx.server}`);
      }),
    );
}
