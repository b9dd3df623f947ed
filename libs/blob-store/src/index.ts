export * from './blob-store';
export * from './embedded-s3';
