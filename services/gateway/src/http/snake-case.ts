/** The public API speaks snake_case; services speak camelCase. Keys change, values (note Markdown) do not. */
export function toSnakeCase<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), toSnakeCase(v)]),
    );
  }
  return value;
}
