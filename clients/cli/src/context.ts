import { createStudyBuddyClient, StudyBuddyClient } from '@study-buddy/api-client';
import { configDirectory, readConfigFile, resolveServer } from './config';
import { credentialsPath, CredentialsStore } from './credentials';
import { CliError, EXIT } from './exit-codes';
import { createOutput, Output } from './output';

export interface GlobalOptions {
  server?: string;
  json?: boolean;
}

/** What every command works with: the server, its client and session, and the output. */
export interface Context {
  server: string;
  client: StudyBuddyClient;
  credentials: CredentialsStore;
  out: Output;
  env: NodeJS.ProcessEnv;
  /** Fails with exit code 3 unless there is a stored session for this server. */
  requireLogin(): Promise<void>;
  /** A client whose session remembers `email` with the tokens (login, register). */
  clientFor(email: string): StudyBuddyClient;
}

/** A server that is http:// and not this machine (localhost, 127.0.0.0/8, ::1). */
export function plainHttpElsewhere(server: string): boolean {
  const url = new URL(server);
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1');
}

export function createContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const out = createOutput({ json: options.json === true });
  const directory = configDirectory(env);
  const server = resolveServer(options.server, env, readConfigFile(directory));
  const credentials = new CredentialsStore(credentialsPath(directory), out.warn);
  if (plainHttpElsewhere(server))
    out.warn(`${server} is plain http:// to another machine: your password and tokens cross the network unencrypted`);
  const clientFor = (email?: string) =>
    createStudyBuddyClient({ baseUrl: server, session: credentials.session(server, email) });
  const client = clientFor();
  return {
    server,
    client,
    credentials,
    out,
    env,
    clientFor,
    async requireLogin() {
      if (!(await client.session.load()))
        throw new CliError(EXIT.auth, `Not logged in to ${server}: run study-buddy login`);
    },
  };
}
