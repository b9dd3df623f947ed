import { Pool } from 'pg';
import { createTestPool, waitFor } from '@study-buddy/testing';
import { createPostgresLeaderLock, LeaderLock } from '../src';

describe('PostgreSQL leader lock', () => {
  let pools: Pool[];
  let locks: LeaderLock[];
  const key = () => `leader-test-${Math.random()}`;
  const lockPair = (k: string) => (locks = pools.map((pool) => createPostgresLeaderLock(pool, k)));

  beforeEach(() => (pools = [createTestPool(2), createTestPool(2)]));
  afterEach(async () => {
    for (const lock of locks ?? []) await lock.release().catch(() => undefined);
    await Promise.all(pools.map((p) => p.end()));
  });

  it('lets one holder at a time have it, and hands it over on release', async () => {
    const [a, b] = lockPair(key());
    expect(await a.acquire()).toBe(true);
    expect(await a.acquire()).toBe(true); // still held
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
  });

  it('is freed when the holder’s connection dies', async () => {
    const k = key();
    const [a, b] = lockPair(k);
    expect(await a.acquire()).toBe(true);
    const { rows } = await pools[1].query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = (hashtext($1)::bigint & 4294967295)::oid AND granted`,
      [k],
    );
    expect(rows).toHaveLength(1);
    await pools[1].query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    // The server frees the lock once the terminated backend has exited, a moment later.
    await waitFor(() => b.acquire(), { timeoutMs: 5000, what: 'the lock to be free' });
    expect(await a.acquire()).toBe(false); // noticed it lost the lock
  });
});
