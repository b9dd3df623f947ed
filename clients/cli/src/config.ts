import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './exit-codes';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** `$XDG_CONFIG_HOME/study-buddy`, or `~/.config/study-buddy`. */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'study-buddy');
}

export interface ConfigFile {
  server?: string;
}

/** config.json of the config directory; none is an empty config, a broken one is an error worth saying. */
export function readConfigFile(directory: string): ConfigFile {
  const file = join(directory, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    const server = (parsed as Record<string, unknown>).server;
    return typeof server === 'string' ? { server } : {};
  } catch (error) {
    throw new CliError(EXIT.usage, `${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** A server address as the client wants it: http(s), no trailing slash. */
export function normaliseServer(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT.usage, `${from}: "${url}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CliError(EXIT.usage, `${from}: the server must be an http:// or https:// URL`);
  return parsed.href.replace(/\/+$/, '');
}

/** The server: --server, then STUDY_BUDDY_URL, then the config file's `server`, then the local default. */
export function resolveServer(flag: string | undefined, env: NodeJS.ProcessEnv, config: ConfigFile): string {
  if (flag) return normaliseServer(flag, '--server');
  if (env.STUDY_BUDDY_URL) return normaliseServer(env.STUDY_BUDDY_URL, 'STUDY_BUDDY_URL');
  if (config.server) return normaliseServer(config.server, 'config.json "server"');
  return DEFAULT_SERVER;
}
