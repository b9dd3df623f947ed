import { Client } from 'minio';

export interface BlobStoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export interface BlobStore {
  readonly bucket: string;
  ensureBucket(): Promise<void>;
  put(key: string, body: string | Buffer, contentType: string): Promise<void>;
  /** The object's text, or null when it does not exist. */
  getText(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
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
  });
  const bucket = options.bucket;
  const isMissing = (e: unknown) =>
    ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes((e as { code?: string }).code ?? '');

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
      try {
        const stream = await client.getObject(bucket, key);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
    async delete(key) {
      await client.removeObject(bucket, key);
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
