import { Context } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { ask, askHidden, readStdinLine } from '../prompt';

/** The email: --email, else asked on a terminal; a script must pass --email. */
export async function readEmail(given: string | undefined): Promise<string> {
  if (given) return given;
  if (!process.stdin.isTTY) throw new CliError(EXIT.usage, '--email is needed when stdin is not a terminal');
  const email = await ask('Email: ');
  if (!email) throw new CliError(EXIT.usage, 'An email is needed');
  return email;
}

/**
 * The password: STUDY_BUDDY_PASSWORD, else stdin's first line when stdin is not a terminal (or with
 * --password-stdin), else typed on the terminal without echo. Never an argument: it would show in `ps`.
 */
export async function readPassword(
  ctx: Context,
  options: { passwordStdin?: boolean; confirm?: boolean },
): Promise<string> {
  let password = ctx.env.STUDY_BUDDY_PASSWORD;
  if (!password) {
    if (options.passwordStdin || !process.stdin.isTTY) password = await readStdinLine();
    else {
      password = await askHidden('Password: ');
      if (options.confirm && (await askHidden('Password again: ')) !== password)
        throw new CliError(EXIT.usage, 'The two passwords differ');
    }
  }
  if (!password)
    throw new CliError(EXIT.usage, 'A password is needed (typed, piped to stdin, or STUDY_BUDDY_PASSWORD)');
  return password;
}
