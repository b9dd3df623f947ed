import { BlobStore } from './blob-store';

/**
 * In-process object storage for service-level specs: the same contract as the
 * MinIO client (the shared suite in test/ runs against both), nothing on disk.
 */
export function createMemoryBlobStore(
  bucket = 'memory',
  now: () => Date = () => new Date(),
): BlobStore & { keys(): string[] } {
  const objects = new Map<string, { body: Buffer; contentType: string; lastModified: Date }>();
  return {
    bucket,
    async ensureBucket() {
      // a map needs no bucket
    },
    async put(key, body, contentType) {
      objects.set(key, {
        body: Buffer.from(typeof body === 'string' ? Buffer.from(body, 'utf8') : body),
        contentType,
        lastModified: now(),
      });
    },
    async getText(key) {
      return objects.get(key)?.body.toString('utf8') ?? null;
    },
    async getBytes(key) {
      const body = objects.get(key)?.body;
      return body ? Buffer.from(body) : null;
    },
    async delete(key) {
      objects.delete(key);
    },
    async *list(prefix) {
      for (const key of [...objects.keys()].filter((k) => k.startsWith(prefix)).sort()) {
        const object = objects.get(key);
        if (object) yield { key, lastModified: object.lastModified };
      }
    },
    async ping() {
      return true;
    },
    keys: () => [...objects.keys()].sort(),
  };
}
