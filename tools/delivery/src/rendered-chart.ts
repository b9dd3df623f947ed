import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { RenderOptions, template } from './helm';
import { Manifest, parseManifests } from './manifests';
import { WORKSPACE } from './workspace';

const cache = new Map<string, Manifest[]>();

/** The chart rendered with these options; a failed render throws with helm's message. */
export function render(options: RenderOptions = {}): Manifest[] {
  const key = JSON.stringify(options);
  let manifests = cache.get(key);
  if (!manifests) {
    const result = template(options);
    if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
    manifests = parseManifests(result.stdout);
    cache.set(key, manifests);
  }
  return manifests;
}

/** Names of the Secrets a value set expects to exist already (every `existingSecret` in its files). */
export function existingSecrets(valueFiles: string[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'existingSecret' && typeof value === 'string' && value) names.add(value);
      else visit(value);
    }
  };
  for (const file of valueFiles) visit(parse(readFileSync(path.join(WORKSPACE, file), 'utf8')));
  return names;
}
