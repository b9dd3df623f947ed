import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobStore, createBlobStore, createMemoryBlobStore, EmbeddedS3, startEmbeddedS3 } from '../src';

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
