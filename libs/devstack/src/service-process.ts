import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { RestartBackoff, RestartPolicy } from './restart-backoff';

export interface ServiceProcessOptions {
  name: string;
  entry: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Where output goes: the terminal with a name prefix, or a log file. */
  output: { kind: 'console' } | { kind: 'file'; directory: string };
  /** Supervise: restart the service whenever it exits without stop() or kill() asking it to. */
  restart?: RestartPolicy;
}

/**
 * One service as a separate Node process, with readiness polling and graceful or hard stops. Supervised,
 * it is restarted with back-off after every exit nobody asked for, as Kubernetes restarts a container.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  /** Whether the owner wants it running: start() sets it, stop() and kill() clear it. */
  private wanted = false;
  private pendingRestart?: NodeJS.Timeout;
  private readonly backoff?: RestartBackoff;

  constructor(private readonly options: ServiceProcessOptions) {
    if (options.restart) this.backoff = new RestartBackoff(options.restart);
  }

  get name() {
    return this.options.name;
  }

  get url() {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid() {
    return this.child?.pid;
  }

  /** How many times the supervisor has restarted it. */
  get restarts() {
    return this.backoff?.restarts ?? 0;
  }

  start(): void {
    this.wanted = true;
    this.cancelRestart();
    this.spawn();
  }

  /** Resolves when `/readyz` answers 200; rejects if the process exits first (and is not being restarted). */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const child = this.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        if (!this.pendingRestart) throw new Error(`${this.name} ${describeExit(child)} before it was ready`);
      } else {
        try {
          const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (response.ok) return;
        } catch {
          /* not listening yet */
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
  }

  /** SIGTERM, then SIGKILL if the service has not shut down in time. It stays down until start(). */
  async stop(graceMs = 30_000): Promise<number | null> {
    this.wanted = false;
    this.cancelRestart();
    return this.signal('SIGTERM', graceMs);
  }

  /** A crash on purpose: SIGKILL, no cleanup. Asked for, so even a supervised service stays down until start(). */
  async kill(): Promise<void> {
    this.wanted = false;
    this.cancelRestart();
    await this.signal('SIGKILL', 5000);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }

  private spawn(): void {
    const child = spawn(process.execPath, ['--enable-source-maps', this.options.entry], {
      env: { ...this.options.env, PORT: String(this.options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const startedAt = Date.now();
    child.once('exit', (code, signal) => this.exited(child, Date.now() - startedAt, code, signal));
    const { output } = this.options;
    if (output.kind === 'file') {
      this.log ??= createWriteStream(path.join(output.directory, `${this.options.name}.log`), { flags: 'a' });
      child.stdout!.pipe(this.log, { end: false });
      child.stderr!.pipe(this.log, { end: false });
    } else {
      for (const stream of [child.stdout!, child.stderr!])
        createInterface({ input: stream }).on('line', (line) => this.print(line));
    }
  }

  private exited(child: ChildProcess, uptimeMs: number, code: number | null, signal: NodeJS.Signals | null): void {
    // Only the current process is supervised, and only while its owner still wants it running.
    if (child !== this.child || !this.wanted || !this.backoff) return;
    const delay = this.backoff.next(uptimeMs);
    const exit = signal ? `exited with signal ${signal}` : `exited with code ${code}`;
    this.print(`${exit} — restarting in ${delay / 1000} s (restart ${this.backoff.restarts})`);
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = undefined;
      if (this.wanted) this.spawn();
    }, delay);
  }

  private cancelRestart(): void {
    clearTimeout(this.pendingRestart);
    this.pendingRestart = undefined;
  }

  /** A line of the service's output, or a note about it, where its output goes. */
  private print(line: string): void {
    const { output } = this.options;
    if (output.kind === 'console') process.stdout.write(`${`[${this.options.name}]`.padEnd(12)}${line}\n`);
    else this.log?.write(`${line}\n`);
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

function describeExit(child: ChildProcess | undefined): string {
  return child?.signalCode ? `exited with signal ${child.signalCode}` : `exited with code ${child?.exitCode}`;
}
