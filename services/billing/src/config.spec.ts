import { billingEnvSchema } from './config';

describe('billing configuration', () => {
  it('sells the three default packages, with no Stripe and no client redirects', () => {
    const env = billingEnvSchema.parse({});
    expect(env.CREDIT_PACKAGES.map((p) => `${p.id}:${p.credits}:${p.amount}:${p.currency}`)).toEqual([
      'basic:10:999:usd',
      'standard:25:1999:usd',
      'premium:50:2999:usd',
    ]);
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
    expect(env.CHECKOUT_REDIRECT_ORIGINS).toEqual([]);
    expect(env.STRIPE_WEBHOOK_TOLERANCE_SECONDS).toBe(300);
  });

  it('reads packages and redirect origins from the environment', () => {
    const env = billingEnvSchema.parse({
      CREDIT_PACKAGES: '[{"id":"tiny","credits":1,"amount":199,"currency":"eur"}]',
      CHECKOUT_REDIRECT_ORIGINS: 'https://app.example.com, https://www.example.com',
    });
    expect(env.CREDIT_PACKAGES).toEqual([{ id: 'tiny', credits: 1, amount: 199, currency: 'eur' }]);
    expect(env.CHECKOUT_REDIRECT_ORIGINS).toEqual(['https://app.example.com', 'https://www.example.com']);
  });

  it.each([
    ['not JSON', '{'],
    ['no packages', '[]'],
    [
      'a duplicate id',
      '[{"id":"a","credits":1,"amount":1,"currency":"usd"},{"id":"a","credits":2,"amount":2,"currency":"usd"}]',
    ],
    ['a price that is not in minor units', '[{"id":"a","credits":1,"amount":9.99,"currency":"usd"}]'],
  ])('refuses CREDIT_PACKAGES with %s', (_, value) => {
    const result = billingEnvSchema.safeParse({ CREDIT_PACKAGES: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['CREDIT_PACKAGES', ...(result.error?.issues[0].path.slice(1) ?? [])]);
  });

  it('refuses a plain-HTTP Stripe API in production', () => {
    const result = billingEnvSchema.safeParse({
      NODE_ENV: 'production',
      STRIPE_API_BASE_URL: 'http://127.0.0.1:12111',
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['STRIPE_API_BASE_URL']);
    expect(billingEnvSchema.safeParse({ STRIPE_API_BASE_URL: 'http://127.0.0.1:12111' }).success).toBe(true);
  });
});
