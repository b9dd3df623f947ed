export * from './memory-event-store';
export * from './postgres-event-store';
export * from './eventstoredb-event-store';
