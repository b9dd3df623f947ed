import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICES } from '@study-buddy/contracts';
import { startSystem, System } from './support/system';

const script = path.resolve(__dirname, '../../charts/study-buddy/files/helm-test.js');

/** Runs the chart's `helm test` script as the test pod would, with plain Node and its environment. */
async function helmTest(check: string, env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, check], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** The chart's `helm test` checks, run against the real services so they are known to pass on a healthy install and fail on a broken one. */
describe('the helm test script (system test)', () => {
  let system: System;
  let serviceUrls: string;

  beforeAll(async () => {
    system = await startSystem();
    serviceUrls = SERVICES.map((name) => `${name}=${system.stack.services[name].url}`).join(',');
  }, 120_000);

  afterAll(async () => {
    await system?.teardown();
  }, 60_000);

  it('finds every service ready', async () => {
    const result = await helmTest('ready', { SERVICE_URLS: serviceUrls });
    expect(result.output).toContain('ready: passed');
    for (const name of SERVICES) expect(result.output).toContain(`ok   ${name} is ready`);
    expect(result.code).toBe(0);
  });

  it('registers a user and reaches billing and videos through the gateway', async () => {
    const result = await helmTest('smoke', { GATEWAY_URL: system.stack.gatewayUrl });
    expect(result.output).toMatch(/ok {3}registered smoke-\d+-\w+@smoke-test\.invalid/);
    expect(result.output).toContain('ok   billing answers: balance');
    expect(result.output).toContain('smoke: passed');
    expect(result.code).toBe(0);
  });

  it('fails, naming the service, when one is not reachable', async () => {
    const broken = `${serviceUrls},search=http://127.0.0.1:1`;
    const result = await helmTest('ready', { SERVICE_URLS: broken, TIMEOUT_SECONDS: '1' });
    expect(result.output).toMatch(/FAIL search is not ready/);
    expect(result.code).toBe(1);
  });

  it('fails when the gateway does not answer like the Study Buddy API', async () => {
    // the billing service answers HTTP, but it is not the gateway
    const result = await helmTest('smoke', { GATEWAY_URL: system.stack.services.billing.url });
    expect(result.output).toMatch(/FAIL GET \/videos without a token must be 401/);
    expect(result.code).toBe(1);
  });

  it('refuses an unknown check', async () => {
    const result = await helmTest('everything', {});
    expect(result.code).toBe(2);
  });
});
