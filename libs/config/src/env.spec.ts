import { z } from 'zod';
import { baseEnvSchema, ConfigError, loadEnv } from './env';

describe('loadEnv', () => {
  it('fills every default', () => {
    const env = loadEnv(baseEnvSchema, {});
    expect(env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      EVENT_STORE: 'postgres',
      RPC_TIMEOUT_MS: 5000,
      MESSAGING_NAMESPACE: '',
    });
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const env = loadEnv(baseEnvSchema, { RPC_TIMEOUT_MS: '750', LOG_LEVEL: '' });
    expect(env.RPC_TIMEOUT_MS).toBe(750);
    expect(env.LOG_LEVEL).toBe('log');
  });

  it('names the broken variables without echoing their values', () => {
    const schema = baseEnvSchema.extend({ JWT_SIGNING_KEYS: z.string().min(32) });
    try {
      loadEnv(schema, { JWT_SIGNING_KEYS: 'hunter2', RPC_TIMEOUT_MS: 'soon' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as Error).message;
      expect(message).toMatch(/JWT_SIGNING_KEYS/);
      expect(message).toMatch(/RPC_TIMEOUT_MS/);
      expect(message).not.toMatch(/hunter2/);
    }
  });
});
