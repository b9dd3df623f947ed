export * from './dev-stack';
export * from './service-process';
export * from './restart-backoff';
export * from './ensure-database';
export * from './rebuild-projections';
export * from './free-ports';
