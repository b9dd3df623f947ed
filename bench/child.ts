import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

/** A helper process (TypeScript, run through swc); resolves with its first message once it is ready. */
export async function startChild(script: string, arg: string): Promise<{ child: ChildProcess; message: unknown }> {
  const child = fork(path.join(__dirname, script), [arg], {
    execArgv: ['-r', path.resolve(__dirname, '../libs/testing/ts-register.js')],
    stdio: 'inherit',
  });
  const message = await new Promise<unknown>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  // a failed run must not leave it behind
  process.once('exit', () => child.kill('SIGTERM'));
  return { child, message };
}
