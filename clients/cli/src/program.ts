import { Command, CommanderError } from 'commander';
import { currentServer } from './command';
import { addCommand } from './commands/add';
import { buyCommand } from './commands/buy';
import { creditsCommand } from './commands/credits';
import { exportCommand } from './commands/export';
import { loginCommand } from './commands/login';
import { logoutCommand } from './commands/logout';
import { lsCommand } from './commands/ls';
import { registerCommand } from './commands/register';
import { searchCommand } from './commands/search';
import { showCommand } from './commands/show';
import { DEFAULT_SERVER } from './config';
import { describeError } from './errors';
import { EXIT, EXIT_CODES_HELP, ExitCode } from './exit-codes';
import { printable } from './output';

const SETTINGS_HELP = `Settings:
  server   --server <url>, else STUDY_BUDDY_URL, else "server" in
           $XDG_CONFIG_HOME/study-buddy/config.json (~/.config/study-buddy/config.json),
           else ${DEFAULT_SERVER}
  session  credentials.json beside config.json, mode 0600, a session per server
  password STUDY_BUDDY_PASSWORD, or stdin when it is not a terminal, else asked without echo
  NO_COLOR plain output even on a terminal`;

export function buildProgram(): Command {
  const program = new Command('study-buddy')
    .description('Study Buddy from the command line: turn YouTube videos into study notes')
    .option('--server <url>', 'the gateway (see Settings)')
    .option('--json', 'machine-readable output (one JSON document; errors as JSON on stderr)')
    .showHelpAfterError('(study-buddy --help lists the commands, settings and exit codes)')
    .addHelpText('after', `\n${SETTINGS_HELP}\n\n${EXIT_CODES_HELP}\n`)
    .exitOverride();
  for (const add of [
    registerCommand,
    loginCommand,
    logoutCommand,
    addCommand,
    lsCommand,
    searchCommand,
    showCommand,
    exportCommand,
    creditsCommand,
    buyCommand,
  ])
    add(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI on `argv` (process.argv's shape) and answers with the exit code; prints every error itself. */
export async function run(argv: string[]): Promise<ExitCode> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and --version are not failures; commander has already printed its message
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { code, message, apiCode } = describeError(error, currentServer);
    if (json)
      process.stderr.write(`${JSON.stringify({ error: { code: apiCode ?? 'cli', message, exit_code: code } })}\n`);
    else process.stderr.write(`study-buddy: ${printable(message)}\n`);
    return code;
  }
}
