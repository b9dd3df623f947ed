import { Provider, Type } from '@nestjs/common';
import { Pool } from 'pg';
import { PlatformConfig } from './platform-config';
import { PG_POOL, PLATFORM_CONFIG } from './tokens';

/** Provides a read model's query class, built on this service's pool and schema (`new Queries(pool, schema)`). */
export function queriesProvider<T>(queries: Type<T> & (new (pool: Pool, schema: string) => T)): Provider<T> {
  return {
    provide: queries,
    inject: [PG_POOL, PLATFORM_CONFIG],
    useFactory: (pool: Pool, config: PlatformConfig) => new queries(pool, config.schema),
  };
}
