import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { SessionStore, Tokens } from '@study-buddy/api-client';

interface StoredSession {
  access_token: string;
  refresh_token?: string;
  email?: string;
  saved_at: string;
}

/** credentials.json: a session per server, so logging in to one server leaves another's alone. */
interface CredentialsFile {
  sessions: Record<string, StoredSession>;
}

/** A lock older than this is left over from a process that died holding it: it is broken. */
export const LOCK_STALE_MS = 10_000;
const LOCK_RETRY_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function credentialsPath(configDirectory: string): string {
  return join(configDirectory, 'credentials.json');
}

/**
 * The CLI's tokens in a file only its owner can read: created 0600 (in a 0700 folder), and should it
 * ever be found readable by others, put back to 0600 before it is read (with a warning).
 */
export class CredentialsStore {
  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  private read(): CredentialsFile {
    let mode: number;
    try {
      mode = statSync(this.path).mode;
    } catch {
      return { sessions: {} };
    }
    if ((mode & 0o077) !== 0) {
      chmodSync(this.path, 0o600);
      this.warn(`${this.path} could be read by others: its permissions are now 0600`);
    }
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<CredentialsFile>;
      return { sessions: typeof parsed.sessions === 'object' && parsed.sessions ? parsed.sessions : {} };
    } catch {
      this.warn(`${this.path} is not readable JSON: starting with no sessions`);
      return { sessions: {} };
    }
  }

  /** The folder, made 0700 (mkdir's mode is narrowed by the umask, and an existing folder keeps its own). */
  private makeFolder(): void {
    const folder = dirname(this.path);
    const made = mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (made !== undefined) chmodSync(folder, 0o700);
  }

  private write(file: CredentialsFile): void {
    this.makeFolder();
    // Written to a new file created with mode 0600 (never wider, whatever the umask), then moved over.
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
  }

  get(server: string): StoredSession | undefined {
    return this.read().sessions[server];
  }

  set(server: string, session: StoredSession): void {
    const file = this.read();
    file.sessions[server] = session;
    this.write(file);
  }

  remove(server: string): void {
    const file = this.read();
    if (!(server in file.sessions)) return;
    delete file.sessions[server];
    if (Object.keys(file.sessions).length === 0) {
      unlinkSync(this.path);
      return;
    }
    this.write(file);
  }

  /**
   * Runs `fn` holding credentials.json.lock, a file created exclusively ('wx'): another process (or
   * another client in this one) waits, retrying every few ms. A lock older than LOCK_STALE_MS is taken
   * for one left by a process that died and is broken; while `fn` runs longer, its lock is touched.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    this.makeFolder();
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
          unlinkSync(lock);
          continue;
        }
      } catch {
        continue; // released meanwhile
      }
      await sleep(LOCK_RETRY_MS + Math.random() * LOCK_RETRY_MS);
    }
    const keepAlive = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(lock, now, now);
      } catch {
        // broken by someone who thought it stale: nothing to do
      }
    }, LOCK_STALE_MS / 3);
    keepAlive.unref();
    try {
      return await fn();
    } finally {
      clearInterval(keepAlive);
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
    }
  }

  /** The api-client session of `server`, stored here (token mode: the refresh token is kept too). */
  session(server: string, email?: string): SessionStore {
    return {
      mode: 'token',
      load: (): Tokens | undefined => {
        const stored = this.get(server);
        return stored ? { accessToken: stored.access_token, refreshToken: stored.refresh_token } : undefined;
      },
      save: (tokens: Tokens) =>
        this.set(server, {
          access_token: tokens.accessToken,
          ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
          email: email ?? this.get(server)?.email,
          saved_at: new Date().toISOString(),
        }),
      clear: () => this.remove(server),
      exclusive: (fn) => this.exclusive(fn),
    };
  }
}
