import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobEntry, BlobStore, createBlobStore, createMemoryBlobStore, EmbeddedS3, startEmbeddedS3 } from '../src';

/** One contract for both stores, so a service-level spec on the memory store means what it says. */
function blobStoreContract(name: string, open: () => Promise<{ blobs: BlobStore; close(): Promise<void> }>) {
  describe(name, () => {
    let blobs: BlobStore;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ blobs, close } = await open());
      await blobs.ensureBucket();
      await blobs.ensureBucket(); // idempotent
    });

    afterAll(() => close());

    it('stores and reads back UTF-8 text', async () => {
      const body = '# Photosynthesis 🌱\n\nLight → chemical energy.\n';
      await blobs.put('notes/u1/n1.md', body, 'text/markdown; charset=utf-8');
      expect(await blobs.getText('notes/u1/n1.md')).toBe(body);
    });

    it('returns null for a missing object', async () => {
      expect(await blobs.getText('notes/u1/missing.md')).toBeNull();
      expect(await blobs.getBytes('notes/u1/missing.md')).toBeNull();
    });

    it('stores and reads back binary bytes unchanged', async () => {
      const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x80, 0xfe, 0xff, 0xd9]);
      await blobs.put('thumbnails/u1/v1.jpg', image, 'image/jpeg');
      expect(await blobs.getBytes('thumbnails/u1/v1.jpg')).toEqual(image);
    });

    it('overwrites and deletes', async () => {
      await blobs.put('k', 'one', 'text/plain');
      await blobs.put('k', 'two', 'text/plain');
      expect(await blobs.getText('k')).toBe('two');
      await blobs.delete('k');
      expect(await blobs.getText('k')).toBeNull();
    });

    it('handles a large object', async () => {
      const body = 'word '.repeat(400_000);
      await blobs.put('big', body, 'text/plain');
      expect((await blobs.getText('big'))?.length).toBe(body.length);
    });

    it('lists the objects under a prefix with when each was last written', async () => {
      const before = Date.now();
      await blobs.put('listed/a/1.txt', 'one', 'text/plain');
      await blobs.put('listed/a/2.txt', 'two', 'text/plain');
      await blobs.put('listed/b/3.txt', 'three', 'text/plain');
      await blobs.put('listedx.txt', 'not under the prefix', 'text/plain');
      const entries: BlobEntry[] = [];
      for await (const entry of blobs.list('listed/')) entries.push(entry);
      expect(entries.map((e) => e.key).sort()).toEqual(['listed/a/1.txt', 'listed/a/2.txt', 'listed/b/3.txt']);
      for (const { lastModified } of entries) {
        expect(lastModified).toBeInstanceOf(Date);
        // S3 keeps whole seconds
        expect(lastModified.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
      await blobs.delete('listed/a/1.txt');
      const after: string[] = [];
      for await (const entry of blobs.list('listed/a/')) after.push(entry.key);
      expect(after).toEqual(['listed/a/2.txt']);
    });

    it('lists nothing under an unused prefix', async () => {
      const entries: BlobEntry[] = [];
      for await (const entry of blobs.list('nothing-here/')) entries.push(entry);
      expect(entries).toEqual([]);
    });

    it('answers ping', async () => {
      expect(await blobs.ping()).toBe(true);
    });
  });
}

blobStoreContract('blob store (minio client against the embedded S3 server)', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 's3-'));
  const s3: EmbeddedS3 = await startEmbeddedS3({ port: 0, directory });
  const blobs = createBlobStore({
    endpoint: s3.endpoint,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    bucket: 'test-notes',
    region: 'us-east-1',
  });
  return {
    blobs,
    close: async () => {
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

blobStoreContract('blob store (in memory)', async () => ({
  blobs: createMemoryBlobStore(),
  close: () => Promise.resolve(),
}));

describe('blob store (minio client) against an object store that does not answer', () => {
  const sockets: Socket[] = [];
  // accepts connections and never answers, like a hung server or a black-holed route behind a proxy
  const silent = createServer((socket) => sockets.push(socket));

  beforeAll(() => new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)));
  afterAll(() => {
    sockets.forEach((s) => s.destroy());
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails each call after its timeout instead of hanging, and ping answers false', async () => {
    const { port } = silent.address() as { port: number };
    const blobs = createBlobStore({
      endpoint: `http://127.0.0.1:${port}`,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: 'test-silent',
      region: 'us-east-1',
      timeoutMs: 300,
    });
    const started = Date.now();
    await expect(blobs.put('k', 'v', 'text/plain')).rejects.toThrow(/did not answer within 300 ms/);
    await expect(blobs.getText('k')).rejects.toThrow(/did not answer/);
    expect(await blobs.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
