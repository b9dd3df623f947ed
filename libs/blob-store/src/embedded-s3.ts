import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';

export interface EmbeddedS3 {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An S3-compatible server in-process (s3rver), standing in for MinIO on a
 * developer machine and in tests. It accepts the keys S3RVER/S3RVER and does
 * not check signatures, so it is for local use only.
 */
export async function startEmbeddedS3({
  port = 9000,
  host = '127.0.0.1',
  directory,
}: {
  port?: number;
  host?: string;
  directory: string;
}): Promise<EmbeddedS3> {
  mkdirSync(directory, { recursive: true });
  // s3rver has no types and is only needed locally
  const S3rver = require('s3rver');
  const server = new S3rver({ port, address: host, directory, silent: true, resetOnClose: false });
  const address: AddressInfo = await server.run();
  return {
    endpoint: `http://${host}:${address.port}`,
    close: () => server.close(),
  };
}
