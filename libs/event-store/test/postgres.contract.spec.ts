import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { createPostgresEventStore, migratePostgresEventStore } from '../src';
import { describeEventStoreContract } from '../src/testing';

describeEventStoreContract('postgres', async () => {
  const pool = createTestPool(20);
  const schema = uniqueSchema('es');
  await migratePostgresEventStore(pool, schema);
  const store = createPostgresEventStore({ pool, schema });
  return {
    store,
    teardown: async () => {
      await store.close();
      await dropSchema(pool, schema);
      await pool.end();
    },
  };
});
