import { Client } from 'minio';
import { timeoutAgent } from './timeout-agent';

export interface BlobStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Longest wait for one request to the object store; a store that does not answer fails the call instead of hanging it. */
  timeoutMs?: number;
}

export interface BlobEntry {
  key: string;
  lastModified: Date;
}

export interface BlobStore {
  readonly bucket: string;
  ensureBucket(): Promise<void>;
  put(key: string, body: string | Buffer, contentType: string): Promise<void>;
  /** The object's text, or null when it does not exist. */
  getText(key: string): Promise<string | null>;
  /** The object's bytes (images), or null when it does not exist. */
  getBytes(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in pages, with when it was last written. */
  list(prefix: string): AsyncIterable<BlobEntry>;
  ping(): Promise<boolean>;
}

/** MinIO/S3 through the `minio` client; locally the embedded S3 server stands in with the same code. */
export function createBlobStore(options: BlobStoreOptions): BlobStore {
  const url = new URL(options.endpoint);
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    useSSL: url.protocol === 'https:',
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region: options.region,
    pathStyle: true,
    transportAgent: timeoutAgent(url.protocol === 'https:' ? 'https:' : 'http:', options.timeoutMs ?? 10_000),
  });
  const bucket = options.bucket;
  const isMissing = (e: unknown) =>
    ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes((e as { code?: string }).code ?? '');

  const getBytes = async (key: string): Promise<Buffer | null> => {
    try {
      const stream = await client.getObject(bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  };
  return {
    bucket,
    async ensureBucket() {
      if (await client.bucketExists(bucket)) return;
      try {
        await client.makeBucket(bucket, options.region);
      } catch (e) {
        // another replica created it first
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((e as { code?: string }).code ?? '')) throw e;
      }
    },
    async put(key, body, contentType) {
      const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      await client.putObject(bucket, key, buffer, buffer.length, { 'Content-Type': contentType });
    },
    async getText(key) {
      return (await getBytes(key))?.toString('utf8') ?? null;
    },
    getBytes,
    async delete(key) {
      await client.removeObject(bucket, key);
    },
    async *list(prefix) {
      const stream = client.listObjectsV2(bucket, prefix, true);
      for await (const item of stream as AsyncIterable<{ name?: string; lastModified?: Date }>) {
        if (item.name && item.lastModified) yield { key: item.name, lastModified: item.lastModified };
      }
    },
    async ping() {
      try {
        await client.bucketExists(bucket);
        return true;
      } catch {
        return false;
      }
    },
  };
}
