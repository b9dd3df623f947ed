import { Pool } from 'pg';
import { createTestPool } from '@study-buddy/testing';
import { createPostgresLeaderLock } from '../src';

describe('PostgreSQL leader lock', () => {
  let pools: Pool[];
  beforeEach(() => (pools = [createTestPool(2), createTestPool(2)]));
  afterEach(async () => Promise.all(pools.map((p) => p.end())));

  it('lets one holder at a time have it, and hands it over on release', async () => {
    const key = `leader-test-${Math.random()}`;
    const [a, b] = pools.map((pool) => createPostgresLeaderLock(pool, key));
    expect(await a.acquire()).toBe(true);
    expect(await a.acquire()).toBe(true); // still held
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
    await b.release();
  });

  it('is freed when the holder’s connection dies', async () => {
    const key = `leader-test-${Math.random()}`;
    const [a, b] = pools.map((pool) => createPostgresLeaderLock(pool, key));
    expect(await a.acquire()).toBe(true);
    const { rows } = await pools[1].query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = (hashtext($1)::bigint & 4294967295)::oid AND granted`,
      [key],
    );
    expect(rows).toHaveLength(1);
    await pools[1].query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false); // noticed it lost the lock
    await b.release();
  });
});
