import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICES } from '@study-buddy/contracts';
import { System } from './system';

const script = path.resolve(__dirname, '../../../charts/study-buddy/files/helm-test.js');

/** What the chart's test pods are given: the gateway's URL and every service's. */
export const helmTestEnv = (system: System) => ({
  GATEWAY_URL: system.stack.gatewayUrl,
  SERVICE_URLS: SERVICES.map((name) => `${name}=${system.stack.services[name].url}`).join(','),
});

/** Runs the chart's `helm test` script as a test pod would: plain Node, only its environment. */
export async function runHelmTest(
  check: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, check], {
      env: { PATH: process.env.PATH, ...env },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}
