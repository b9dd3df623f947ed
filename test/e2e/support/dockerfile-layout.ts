import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';

type Instruction = [keyword: string, argument: string];

interface Stage {
  name: string;
  instructions: Instruction[];
  directory?: string;
}

/** Instructions grouped by stage, line continuations joined, comments dropped, ARGs expanded. */
function parseStages(dockerfile: string): Stage[] {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ').replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? '');
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = argument.split('=');
      args.set(name, value);
    } else if (keyword === 'FROM') {
      const [, , alias] = argument.split(/\s+/);
      stages.push({ name: alias ?? `stage${stages.length}`, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${keyword} before FROM`);
      stages.at(-1)!.instructions.push([keyword, argument]);
    }
  }
  return stages;
}

function contentHash(file: string): string {
  const hash = createHash('sha256');
  const visit = (entry: string) => {
    if (statSync(entry).isDirectory()) for (const child of readdirSync(entry).sort()) visit(path.join(entry, child));
    else hash.update(entry).update(readFileSync(entry));
  };
  visit(file);
  return hash.digest('hex');
}

export interface ImageLayout {
  /** The runtime stage's /app, as the container would have it. */
  directory: string;
  /** The ENTRYPOINT's script, resolved in `directory`. */
  entry: string;
  env: Record<string, string>;
  user: string;
}

/** Stages already built, by their instructions and inputs: Docker's layer cache, so five images install production dependencies once. */
const builtStages = new Map<string, string>();

/**
 * Builds a service's image layout without Docker by following its Dockerfile
 * stage by stage: WORKDIR /app is a folder per stage, COPY copies from the
 * repository (the build context) or from an earlier stage, RUN runs in that
 * folder. Two deliberate shortcuts, both from the same lockfile: the build
 * stage's full `npm ci` is the workspace's own node_modules (linked), and
 * npm's cache is a throwaway copy, so `npm cache clean` cannot touch the
 * user's. What the runtime stage ends up with is what the image holds.
 */
export function buildImageLayout(options: {
  workspace: string;
  dockerfile: string;
  into: string;
  npmCache: string;
}): ImageLayout {
  const stages = new Map<string, Stage>();
  let layout: ImageLayout | undefined;
  for (const stage of parseStages(readFileSync(path.join(options.workspace, options.dockerfile), 'utf8'))) {
    stages.set(stage.name, stage);
    const key = JSON.stringify(
      stage.instructions.map(([keyword, argument]) => {
        if (keyword !== 'COPY') return [keyword, argument];
        const from = /^--from=(\S+)/.exec(argument);
        const sources = argument.split(/\s+/).slice(from ? 1 : 0, -1);
        return [
          keyword,
          argument,
          from ? stages.get(from[1])!.directory : sources.map((s) => contentHash(path.join(options.workspace, s))),
        ];
      }),
    );
    const cached = builtStages.get(key);
    stage.directory = path.join(options.into, stage.name);
    layout = { directory: stage.directory, entry: '', env: {}, user: '' };
    mkdirSync(options.into, { recursive: true });
    if (cached) execFileSync('cp', ['-al', cached, stage.directory]);
    for (const [keyword, argument] of stage.instructions) {
      if (keyword === 'WORKDIR') {
        if (argument !== '/app') throw new Error(`${options.dockerfile}: only WORKDIR /app is emulated`);
        mkdirSync(stage.directory, { recursive: true });
      } else if (keyword === 'COPY' && !cached) {
        const from = /^--from=(\S+)$/.exec(argument.split(/\s+/)[0]);
        const parts = argument.split(/\s+/).slice(from ? 1 : 0);
        const destination = parts.pop()!;
        for (const source of parts) {
          const origin = from
            ? path.join(stages.get(from[1])!.directory!, source.replace(/^\/app\/?/, ''))
            : path.join(options.workspace, source);
          if (!existsSync(origin)) throw new Error(`${options.dockerfile}: COPY ${source}: not found`);
          const target = destination.endsWith('/')
            ? path.join(stage.directory, destination, path.basename(source))
            : path.join(stage.directory, destination);
          mkdirSync(path.dirname(target), { recursive: true });
          // hard links: node_modules is large, and nothing here edits a copied file
          execFileSync('cp', ['-al', origin, target]);
        }
      } else if (keyword === 'RUN' && !cached) {
        if (/^npm ci(?!.*--omit=dev)/.test(argument))
          symlinkSync(path.join(options.workspace, 'node_modules'), path.join(stage.directory, 'node_modules'));
        else
          execSync(argument, {
            cwd: stage.directory,
            stdio: 'pipe',
            env: { ...process.env, npm_config_cache: options.npmCache },
          });
      } else if (keyword === 'ENV') {
        for (const pair of argument.split(/\s+/)) {
          const [name, value] = pair.split('=');
          layout.env[name] = value;
        }
      } else if (keyword === 'USER') {
        layout.user = argument;
      } else if (keyword === 'ENTRYPOINT') {
        const [command, script] = JSON.parse(argument) as string[];
        if (command !== 'node') throw new Error(`${options.dockerfile}: ENTRYPOINT must run node`);
        layout.entry = path.join(stage.directory, script);
      }
    }
    if (!cached) builtStages.set(key, stage.directory);
  }
  if (!layout?.entry) throw new Error(`${options.dockerfile}: no runtime stage with an ENTRYPOINT`);
  return layout;
}

/**
 * A throwaway npm cache seeded from the user's, so installs stay fast: the
 * content store is immutable (content-addressed) and hard-linked, the index
 * (which npm appends to) is copied.
 */
export function seedNpmCache(into: string): string {
  const userCache = path.join(execSync('npm config get cache', { encoding: 'utf8' }).trim(), '_cacache');
  mkdirSync(path.join(into, '_cacache'), { recursive: true });
  if (existsSync(path.join(userCache, 'content-v2')))
    execFileSync('cp', ['-al', path.join(userCache, 'content-v2'), path.join(into, '_cacache/content-v2')]);
  if (existsSync(path.join(userCache, 'index-v5')))
    execFileSync('cp', ['-r', path.join(userCache, 'index-v5'), path.join(into, '_cacache/index-v5')]);
  return into;
}
