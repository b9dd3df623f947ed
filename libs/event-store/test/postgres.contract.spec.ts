import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { createPostgresEventStore, migratePostgresEventStore } from '../src';
import { describeEventStoreContract } from '../src/testing';

describeEventStoreContract('postgres', async () => {
  const pool = createTestPool(20);
  const schema = uniqueSchema('es');
  // Services share the database, each in its own schema: another service's store is another schema.
  const foreignSchema = uniqueSchema('es_foreign');
  await migratePostgresEventStore(pool, schema);
  await migratePostgresEventStore(pool, foreignSchema);
  const store = createPostgresEventStore({ pool, schema });
  const foreign = createPostgresEventStore({ pool, schema: foreignSchema });
  return {
    store,
    foreign,
    teardown: async () => {
      await store.close();
      await foreign.close();
      await dropSchema(pool, schema);
      await dropSchema(pool, foreignSchema);
      await pool.end();
    },
  };
});
