import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceProcessOptions {
  name: string;
  entry: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Where output goes: the terminal with a name prefix, or a log file. */
  output: { kind: 'console' } | { kind: 'file'; directory: string };
}

/** One service as a separate Node process, with readiness polling and graceful or hard stops. */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;

  constructor(private readonly options: ServiceProcessOptions) {}

  get name() {
    return this.options.name;
  }

  get url() {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid() {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(process.execPath, ['--enable-source-maps', this.options.entry], {
      env: { ...this.options.env, PORT: String(this.options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const { output } = this.options;
    if (output.kind === 'file') {
      this.log ??= createWriteStream(path.join(output.directory, `${this.options.name}.log`), { flags: 'a' });
      child.stdout!.pipe(this.log, { end: false });
      child.stderr!.pipe(this.log, { end: false });
    } else {
      const prefix = `[${this.options.name}]`.padEnd(12);
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
      }
    }
  }

  /** Resolves when `/readyz` answers 200; rejects if the process exits first or the deadline passes. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.child;
    while (Date.now() < deadline) {
      if (!child || child.exitCode !== null)
        throw new Error(`${this.name} exited with code ${child?.exitCode} before it was ready`);
      try {
        const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
  }

  /** SIGTERM, then SIGKILL if the service has not shut down in time. */
  async stop(graceMs = 30_000): Promise<number | null> {
    return this.signal('SIGTERM', graceMs);
  }

  /** A crash: SIGKILL, no cleanup. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5000);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}
