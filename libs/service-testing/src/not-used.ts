/**
 * A dependency the behaviour under test must not touch (a read model in a spec
 * about commands): any use fails the spec with a clear message instead of
 * answering with something no projection produced.
 */
export function notUsed<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      // Promise resolution and jest's printer probe these; they are not uses.
      if (property === 'then' || typeof property === 'symbol' || property === 'asymmetricMatch') return undefined;
      throw new Error(`${what}.${String(property)} was used, but this spec says it is not`);
    },
  });
}
