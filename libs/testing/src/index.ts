export * from './postgres';
export * from './nats';
export * from './wait';
export * from './decider-spec';
export * from './fake-youtube';
