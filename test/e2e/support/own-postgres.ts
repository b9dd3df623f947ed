import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePortRange } from '@study-buddy/devstack';

/** The installed PostgreSQL's programs (initdb, pg_ctl), newest version first; undefined when none is installed. */
export function postgresBinDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => existsSync(path.join(dir, 'pg_ctl')));
}

/**
 * A PostgreSQL cluster of the test's own (initdb into a temp directory, a random port, trust auth), so the
 * test may stop it without touching the shared server. initdb refuses to run as root: as root, the
 * cluster belongs to (and runs as) the `postgres` system user.
 */
export class OwnPostgres {
  private constructor(
    private readonly bin: string,
    private readonly directory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnPostgres> {
    const bin = postgresBinDirectory();
    if (!bin) throw new Error('no PostgreSQL installed under /usr/lib/postgresql');
    // directly under the temp directory, which the postgres user can reach (a root-only parent would stop it)
    const directory = mkdtempSync(path.join(tmpdir(), 'study-buddy-pg-'));
    const server = new OwnPostgres(bin, directory, await findFreePortRange(1));
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(directory, uid, gid);
    }
    server.run('initdb', ['-D', server.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/study_buddy`;
  }

  private get data(): string {
    return path.join(this.directory, 'data');
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-o',
      options,
      '-l',
      path.join(this.directory, 'postgres.log'),
      '-w',
      'start',
    ]);
  }

  /** `-m immediate`: every backend ends at once, as in a crash; the restart recovers from the WAL. */
  async crash(): Promise<void> {
    this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* not running */
    }
    rmSync(this.directory, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): void {
    const command = path.join(this.bin, program);
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  }
}
