/** The add/replace/remove subset of RFC 6902 that skaffold profiles use; a path that does not resolve throws. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

export function applyPatch<T>(document: T, operations: PatchOperation[]): T {
  const result = structuredClone(document) as unknown as Record<string, unknown>;
  for (const { op, path, value } of operations) {
    const tokens = path.split('/').slice(1).map(unescape);
    const last = tokens.pop()!;
    let parent: Record<string, unknown> = result;
    for (const token of tokens) {
      if (parent[token] === undefined || typeof parent[token] !== 'object')
        throw new Error(`${op} ${path}: ${token} does not exist`);
      parent = parent[token] as Record<string, unknown>;
    }
    if (op !== 'add' && !(last in parent)) throw new Error(`${op} ${path}: nothing to ${op}`);
    if (op === 'remove') delete parent[last];
    else parent[last] = value;
  }
  return result as unknown as T;
}
