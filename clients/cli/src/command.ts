import type { Command } from 'commander';
import { Context, createContext, GlobalOptions } from './context';

/** The server the last command was meant for, for the error message should it be unreachable. */
export let currentServer = '';

/** A command's action with its context made from the global options (--server, --json). */
export function action<A extends unknown[]>(
  handler: (ctx: Context, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
    currentServer = ctx.server;
    await handler(ctx, ...(args.slice(0, -1) as A));
  };
}
