/** Keys come from the services' contracts, a small fixed set: convert each once, not on every response. */
const converted = new Map<string, string>();
const snakeKey = (key: string): string => {
  let snake = converted.get(key);
  if (snake === undefined) {
    snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (converted.size < 1000) converted.set(key, snake);
  }
  return snake;
};

/** The public API speaks snake_case; services speak camelCase. Keys change, values (note Markdown) do not. */
export function toSnakeCase<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[snakeKey(key)] = toSnakeCase((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
