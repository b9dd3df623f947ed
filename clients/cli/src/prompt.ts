import { createInterface } from 'node:readline';
import { CliError, EXIT } from './exit-codes';

/** One line of the answer to `question`, asked on stderr (stdout stays clean for --json). */
export function ask(question: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  const rl = createInterface({ input, output: process.stderr, terminal: input.isTTY === true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

/** A password typed on the terminal, not echoed (raw mode: each key handled here). */
export function askHidden(question: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) throw new CliError(EXIT.usage, 'No terminal to ask for the password on');
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: CliError) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new CliError(EXIT.usage, 'Cancelled'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** All of stdin, for a password piped in by a script (its first line, without the line end). */
export async function readStdinLine(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}
