/** Injection tokens for the infrastructure every service shares. */
export const PG_POOL = Symbol('PG_POOL');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const RPC_CLIENT = Symbol('RPC_CLIENT');
export const BLOB_STORE = Symbol('BLOB_STORE');
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const CHECKPOINTS = Symbol('CHECKPOINTS');
export const PROCESSED_EVENTS = Symbol('PROCESSED_EVENTS');
