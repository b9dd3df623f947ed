import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE } from './workspace';

/**
 * Whether the build context keeps a file, by .dockerignore's rules: the last
 * matching pattern wins, `!` re-includes, and a pattern that matches a parent
 * directory matches everything in it.
 */
// Docker's wildcards match names that start with a dot; Node's globs do not, so both sides hide the dot.
const undot = (value: string) => value.replace(/(^|\/)\./g, '$1\u0001');

export function dockerContextIncludes(file: string, dockerignore = readFileSync(path.join(WORKSPACE, '.dockerignore'), 'utf8')): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ include: line.startsWith('!'), pattern: undot(line.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  const prefixes = undot(file).split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let included = true;
  for (const { include, pattern } of rules) {
    if (prefixes.some((prefix) => path.matchesGlob(prefix, pattern))) included = include;
  }
  return included;
}
