import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { findFreePortRange } from '@study-buddy/devstack';
import { waitFor } from '@study-buddy/testing';

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A nats-server of the test's own (JetStream, its own store directory, a random port), never the shared one:
 * it is killed and restarted on the same port and store, as a crashed server coming back would be.
 */
export class OwnNatsServer {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly directory: string,
  ) {}

  static async start(directory: string): Promise<OwnNatsServer> {
    mkdirSync(path.join(directory, 'jetstream'), { recursive: true });
    const server = new OwnNatsServer(await findFreePortRange(1), directory);
    await server.restart();
    return server;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on the same port and store directory, and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('nats-server is already running');
    const log = createWriteStream(path.join(this.directory, 'nats-server.log'), { flags: 'a' });
    const child = spawn(
      NATS_SERVER,
      ['-js', '-sd', path.join(this.directory, 'jetstream'), '-a', '127.0.0.1', '-p', String(this.port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitFor(
      async () => {
        const nc = await connect({ servers: this.url, reconnect: false });
        await nc.jetstreamManager().then((jsm) => jsm.getAccountInfo());
        await nc.close();
        return true;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: `nats-server on ${this.port}` },
    );
  }

  /** SIGKILL: no goodbye to the clients, nothing flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
