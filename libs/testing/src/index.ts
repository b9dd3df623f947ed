export * from './postgres';
export * from './nats';
export * from './wait';
export * from './decider-spec';
export * from './eventstoredb';
export * from './fake-stripe';
export * from './sse-client';
export * from './fake-youtube';
