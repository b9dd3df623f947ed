import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { aliasRoots, WORKSPACE } from './workspace';

const IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](@study-buddy\/[^'"]+)['"]/g;

/** Source files that end up in a build: build-project.js skips specs and testing helpers. */
function buildSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : buildSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/**
 * The library roots a project's built code needs at run time, followed
 * transitively through the imports of the libraries themselves. Read from the
 * sources, like the build's alias rewriting, so an image copies exactly what
 * its service runs and nothing else.
 */
export function runtimeLibraries(projectRoot: string): string[] {
  const aliases = aliasRoots();
  const found = new Set<string>();
  const visit = (root: string) => {
    for (const file of buildSources(path.join(WORKSPACE, root, 'src'))) {
      for (const [, alias] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = aliases.get(alias);
        if (!target)
          throw new Error(`${path.relative(WORKSPACE, file)} imports ${alias}, which tsconfig.base.json does not map`);
        if (target !== projectRoot && !found.has(target)) {
          found.add(target);
          visit(target);
        }
      }
    }
  };
  visit(projectRoot);
  return [...found].sort();
}
