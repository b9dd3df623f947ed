import { SERVICES } from '@study-buddy/contracts';
import { helmTestEnv, runHelmTest } from './support/helm-test';
import { startSystem, System } from './support/system';

/** The chart's `helm test` checks, run against the real services so they are known to pass on a healthy install and fail on a broken one. */
describe('the helm test script (system test)', () => {
  let system: System;
  let serviceUrls: string;

  beforeAll(async () => {
    system = await startSystem();
    serviceUrls = helmTestEnv(system).SERVICE_URLS;
  }, 120_000);

  afterAll(async () => {
    await system?.teardown();
  }, 60_000);

  it('finds every service ready', async () => {
    const result = await runHelmTest('ready', { SERVICE_URLS: serviceUrls });
    expect(result.output).toContain('ready: passed');
    for (const name of SERVICES) expect(result.output).toContain(`ok   ${name} is ready`);
    expect(result.code).toBe(0);
  });

  it('registers a user and reaches billing and videos through the gateway', async () => {
    const result = await runHelmTest('smoke', { GATEWAY_URL: system.stack.gatewayUrl });
    expect(result.output).toMatch(/ok {3}registered smoke-\d+-\w+@smoke-test\.invalid/);
    expect(result.output).toContain('ok   billing answers: balance');
    expect(result.output).toContain('smoke: passed');
    expect(result.code).toBe(0);
  });

  it('fails, naming the service, when one is not reachable', async () => {
    const broken = `${serviceUrls},search=http://127.0.0.1:1`;
    const result = await runHelmTest('ready', { SERVICE_URLS: broken, TIMEOUT_SECONDS: '1' });
    expect(result.output).toMatch(/FAIL search is not ready/);
    expect(result.code).toBe(1);
  });

  it('fails when the gateway does not answer like the Study Buddy API', async () => {
    // the billing service answers HTTP, but it is not the gateway
    const result = await runHelmTest('smoke', { GATEWAY_URL: system.stack.services.billing.url });
    expect(result.output).toMatch(/FAIL GET \/videos without a token must be 401/);
    expect(result.code).toBe(1);
  });

  it('refuses an unknown check', async () => {
    const result = await runHelmTest('everything', {});
    expect(result.code).toBe(2);
  });
});
