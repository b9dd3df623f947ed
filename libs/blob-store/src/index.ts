export * from './blob-store';
export * from './embedded-s3';
export * from './memory-blob-store';
