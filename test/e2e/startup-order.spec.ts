import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedS3, EmbeddedS3 } from '@study-buddy/blob-store';
import { findFreePortRange, ServiceProcess } from '@study-buddy/devstack';
import { waitFor } from '@study-buddy/testing';
import { startSystem, System } from './support/system';

/**
 * In a fresh cluster the services start beside their infrastructure, not
 * after it. A service whose object store is not up yet must wait for it and
 * become ready once it is — not crash and sit in a restart back-off.
 */
describe('a service started before its dependencies (system test)', () => {
  let system: System;
  let s3: EmbeddedS3 | undefined;
  let late: ServiceProcess | undefined;
  const directory = mkdtempSync(path.join(tmpdir(), 'study-buddy-startup-'));

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await late?.stop();
    await s3?.close();
    await system?.teardown();
    rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  it('waits for the object store, then becomes ready', async () => {
    const [port, s3Port] = [await findFreePortRange(1), await findFreePortRange(1, 26_000)];
    late = new ServiceProcess({
      name: 'videos-late',
      entry: path.resolve(__dirname, '../../dist/services/videos/src/main.js'),
      port,
      env: { ...system.stack.env, S3_ENDPOINT: `http://127.0.0.1:${s3Port}`, LOG_FORMAT: 'json' },
      output: { kind: 'file', directory },
    });
    late.start();
    // the object store is started only once the service says, while it waits, that it waits for it
    // (a fixed pause raced a slow start; and start-up logs used to be held back until start-up ended)
    const logFile = path.join(directory, 'videos-late.log');
    await waitFor(
      () => existsSync(logFile) && /waiting for the object store: ECONNREFUSED/.test(readFileSync(logFile, 'utf8')),
      { timeoutMs: 30_000, what: 'the service to wait for the object store' },
    );
    expect((await fetch(`${late.url}/readyz`).catch(() => null))?.status).not.toBe(200);

    s3 = await startEmbeddedS3({ port: s3Port, directory: path.join(directory, 's3') });
    await late.waitUntilReady(30_000);
    const log = readFileSync(logFile, 'utf8');
    // the log names what it waits for, never the credentials it would use
    expect(log).not.toContain(system.stack.env.S3_SECRET_KEY ?? 'S3RVER');
  });
});
