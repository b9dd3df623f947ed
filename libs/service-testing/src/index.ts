export * from './service-spec';
export * from './recording-rpc';
export * from './recording-live-progress';
export * from './not-used';
export * from './integration-events';
export * from './projection-spec';
export * from './deliver';
