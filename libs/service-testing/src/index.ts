export * from './service-spec';
export * from './recording-rpc';
export * from './integration-events';
export * from './projection-spec';
