import { Pool } from 'pg';
import { AppError } from '@study-buddy/contracts';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { LoginLimits } from './login-limits';
import { Throttle } from './throttle';

const env = {
  LOGIN_MAX_FAILURES_PER_ACCOUNT: 3,
  LOGIN_MAX_FAILURES_PER_IP: 5,
  LOGIN_THROTTLE_WINDOW_SECONDS: 60,
  REGISTRATIONS_PER_IP: 2,
  REGISTRATION_WINDOW_SECONDS: 60,
};
const wrong = () => Promise.reject(new AppError('unauthorized', 'Invalid e-mail or password'));
const right = () => Promise.resolve('ok');

describe('login limits on the real PostgreSQL (shared by every replica)', () => {
  let pool: Pool;
  let schema: string;
  let limits: LoginLimits;
  /** A second replica: its own pool and LoginLimits, the same table. */
  let replica: LoginLimits;

  beforeAll(async () => {
    pool = createTestPool(4);
    schema = uniqueSchema('throttle');
    limits = new LoginLimits(new Throttle(pool, schema), env);
    replica = new LoginLimits(new Throttle(pool, schema), env);
    await limits.onModuleInit();
    await replica.onModuleInit(); // migrations are idempotent
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  const attempt = (l: LoginLimits, email: string, ip: string, check: () => Promise<unknown>) =>
    l.guard(email, ip, check).then(
      () => 'ok',
      (e: AppError) => e,
    );

  it('refuses an account with 429 and Retry-After after its failures, on every replica, whatever the address', async () => {
    for (let i = 0; i < 3; i++)
      expect(await attempt(i % 2 ? replica : limits, 'ada@example.com', `10.0.0.${i}`, wrong)).toMatchObject({
        code: 'unauthorized',
      });

    const refused = await attempt(replica, 'ADA@example.com', '10.9.9.9', right);
    expect(refused).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    const { retryAfterSeconds } = (refused as AppError).details as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThan(50);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('never slows a right password because someone else fails on another account from another address', async () => {
    for (let i = 0; i < 10; i++) await attempt(limits, `victim${i}@example.com`, '10.1.1.1', wrong);
    expect(await attempt(replica, 'grace@example.com', '10.2.2.2', right)).toBe('ok');
  });

  it('refuses an address after its failures across accounts, on every replica', async () => {
    for (let i = 0; i < 5; i++) await attempt(limits, `guess${i}@example.com`, '10.3.3.3', wrong);
    expect(await attempt(replica, 'new@example.com', '10.3.3.3', right)).toMatchObject({ code: 'rate_limited' });
    expect(await attempt(replica, 'new@example.com', '10.3.3.4', right)).toBe('ok');
  });

  it('clears an account’s failures on a success', async () => {
    for (let i = 0; i < 2; i++) await attempt(limits, 'cy@example.com', '10.4.4.4', wrong);
    expect(await attempt(limits, 'cy@example.com', '10.4.4.5', right)).toBe('ok');
    for (let i = 0; i < 2; i++) await attempt(limits, 'cy@example.com', '10.4.4.6', wrong);
    expect(await attempt(limits, 'cy@example.com', '10.4.4.7', right)).toBe('ok');
  });

  it('does not count errors that are not a wrong password', async () => {
    const down = () => Promise.reject(new AppError('unavailable', 'event store down'));
    for (let i = 0; i < 4; i++) await attempt(limits, 'dan@example.com', '10.5.5.5', down);
    expect(await attempt(limits, 'dan@example.com', '10.5.5.5', right)).toBe('ok');
  });

  it('limits registrations per address', async () => {
    await limits.beforeRegistration('10.6.6.6');
    await replica.beforeRegistration('10.6.6.6');
    await expect(limits.beforeRegistration('10.6.6.6')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(limits.beforeRegistration('10.6.6.7')).resolves.toBeUndefined();
  });

  it('opens a new window once the old one has passed', async () => {
    const throttle = new Throttle(pool, schema);
    const limit = { max: 1, windowSeconds: 1 };
    expect(await throttle.hit('window-test', limit)).toBeGreaterThan(0);
    expect(await throttle.retryAfter('window-test', limit)).toBe(1);
    await pool.query(
      `UPDATE "${schema}".throttle SET window_start = now() - interval '2 seconds' WHERE key = 'window-test'`,
    );
    expect(await throttle.retryAfter('window-test', limit)).toBe(0);
  });
});
