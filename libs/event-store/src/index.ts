export * from './event-store';
export * from './subscribe-all';
export * from './sql';
export * from './adapters';
export * from './projections/projection';
export * from './projections/checkpoints';
export * from './projections/postgres-projector';
export * from './create-event-store';
