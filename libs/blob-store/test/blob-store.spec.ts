import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobStore, createBlobStore, EmbeddedS3, startEmbeddedS3 } from '../src';

describe('blob store (minio client against the embedded S3 server)', () => {
  let s3: EmbeddedS3;
  let blobs: BlobStore;
  const directory = mkdtempSync(path.join(tmpdir(), 's3-'));

  beforeAll(async () => {
    s3 = await startEmbeddedS3({ port: 0, directory });
    blobs = createBlobStore({
      endpoint: s3.endpoint,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: 'test-notes',
      region: 'us-east-1',
    });
    await blobs.ensureBucket();
    await blobs.ensureBucket(); // idempotent
  });

  afterAll(async () => {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  });

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
