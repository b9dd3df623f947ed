type Json = Record<string, unknown>;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// Values, not schemas: left exactly as they are.
const LITERAL_KEYWORDS = new Set(['enum', 'const', 'default', 'example', 'examples']);

/**
 * The JSON Schema of a contract's camelCase reply, renamed the way `toSnakeCase` renames the reply
 * itself: property names and `required` entries at every depth, nothing else. One schema, two spellings.
 */
export function snakeCaseJsonSchema(schema: unknown): Json {
  return walk(schema) as Json;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'properties' && value && typeof value === 'object')
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [snake(k), walk(v)]));
    else if (key === 'required' && Array.isArray(value)) out[key] = value.map((k) => snake(String(k)));
    else out[key] = LITERAL_KEYWORDS.has(key) ? value : walk(value);
  }
  return out;
}
