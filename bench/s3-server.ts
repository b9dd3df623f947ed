// The embedded S3 server in its own process for bench/http.bench.ts, so the load generator's
// event loop does not slow the uploads it measures. `... bench/s3-server.ts <directory>`
import { startEmbeddedS3 } from '@study-buddy/blob-store';

void startEmbeddedS3({ port: 0, directory: process.argv[2] }).then((s3) => process.send?.(s3.endpoint));
