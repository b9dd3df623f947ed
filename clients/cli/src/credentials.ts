import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
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

  private write(file: CredentialsFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // Written to a new file created with mode 0600 (never wider, whatever the umask), then moved over.
    const temporary = `${this.path}.${process.pid}.tmp`;
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
    };
  }
}
