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

export function createContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const out = createOutput({ json: options.json === true });
  const directory = configDirectory(env);
  const server = resolveServer(options.server, env, readConfigFile(directory));
  const credentials = new CredentialsStore(credentialsPath(directory), out.warn);
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
