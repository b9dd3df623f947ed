export * from './metrics';
export * from './metrics-server';
export * from './tracing/spans';
export * from './logging/json-logger';
export * from './logging/log-context';
export * from './logging/redact';
