import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE } from './workspace';

/** A .dockerignore pattern as a regular expression: `*` and `?` stay within a path segment, `**` spans any number of them. */
function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether the build context keeps a file, by .dockerignore's rules: the last
 * matching pattern wins, `!` re-includes, and a pattern that matches a parent
 * directory matches everything in it.
 */
export function dockerContextIncludes(
  file: string,
  dockerignore = readFileSync(path.join(WORKSPACE, '.dockerignore'), 'utf8'),
): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({
      include: line.startsWith('!'),
      pattern: patternToRegExp(line.replace(/^!/, '').replace(/^\/+|\/+$/g, '')),
    }));
  const prefixes = file.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let included = true;
  for (const { include, pattern } of rules) {
    if (prefixes.some((prefix) => pattern.test(prefix))) included = include;
  }
  return included;
}
