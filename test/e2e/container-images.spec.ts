import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES, ServiceName } from '@study-buddy/contracts';
import { waitFor } from '@study-buddy/testing';
import { buildImageLayout, ImageLayout, seedNpmCache } from './support/dockerfile-layout';
import { helmTestEnv, runHelmTest } from './support/helm-test';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

const workspace = path.resolve(__dirname, '../..');

/**
 * What each service's Dockerfile puts in its image, built without Docker
 * (none runs here) by following the Dockerfile, then the five run together in
 * production mode. Proves the image holds everything its service needs and
 * nothing it does not: a library left out of the COPY list, or a package only
 * in devDependencies, fails here.
 */
describe('the five service images, built from their Dockerfiles (system test)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'study-buddy-images-'));
  const layouts = {} as Record<ServiceName, ImageLayout>;
  let system: System;

  beforeAll(async () => {
    const npmCache = seedNpmCache(path.join(root, 'npm-cache'));
    for (const service of SERVICES) {
      layouts[service] = buildImageLayout({
        workspace,
        dockerfile: `services/${service}/Dockerfile`,
        into: path.join(root, service),
        npmCache,
      });
    }
    system = await startSystem({
      entries: Object.fromEntries(SERVICES.map((service) => [service, layouts[service].entry])),
      // the images' own ENV (production, all interfaces); PORT comes from the stack as from the chart
      extraEnv: { NODE_ENV: layouts.gateway.env.NODE_ENV, HOST: layouts.gateway.env.HOST },
    });
  }, 240_000);

  afterAll(async () => {
    await system?.teardown();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('hold production dependencies only', () => {
    for (const service of SERVICES) {
      const modules = path.join(layouts[service].directory, 'node_modules');
      for (const runtime of ['nats', 'pg', '@nestjs/core', '@eventstore/db-client', 'minio', 'zod'])
        expect([service, runtime, existsSync(path.join(modules, runtime))]).toEqual([service, runtime, true]);
      for (const tooling of ['jest', 'nx', '@swc/core', 'typescript', 's3rver', 'testcontainers', 'kubernetes-models'])
        expect([service, tooling, existsSync(path.join(modules, tooling))]).toEqual([service, tooling, false]);
    }
  });

  it('hold their own service and no other, as a non-root user and in production mode', () => {
    for (const service of SERVICES) {
      expect(readdirSync(path.join(layouts[service].directory, 'dist/services'))).toEqual([service]);
      expect(layouts[service].user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect(layouts[service].env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    }
  });

  it('gateway holds the web app and serves it at /, the others do not', async () => {
    expect(existsSync(path.join(layouts.gateway.directory, 'dist/clients/web/index.html'))).toBe(true);
    for (const service of SERVICES.filter((s) => s !== 'gateway'))
      expect([service, existsSync(path.join(layouts[service].directory, 'dist/clients'))]).toEqual([service, false]);
    const page = await fetch(`${system.stack.gatewayUrl}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${system.stack.gatewayUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it("pass the chart's helm test checks", async () => {
    await expect(runHelmTest('ready', helmTestEnv(system))).resolves.toEqual({
      code: 0,
      output: expect.stringContaining('ready: passed'),
    });
    await expect(runHelmTest('smoke', helmTestEnv(system))).resolves.toEqual({
      code: 0,
      output: expect.stringContaining('smoke: passed'),
    });
  });

  it('turn a video into a note together', async () => {
    const { client } = await system.api.registerUser('images@example.com');
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/dQw4w9WgXcQ',
      transcript: lecture,
    });
    expect(submitted.status).toBe(202);
    const video = await waitFor(
      async () => {
        const { body } = await client.get<{ status: string; note_id: string | null }>(
          `/videos/${submitted.body.video_id}`,
        );
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the video to finish' },
    );
    expect(video.status).toBe('completed');
    const note = await client.get<{ content: string }>(`/notes/${video.note_id}?include_content=true`);
    expect(note.body.content).toMatch(/## Summary/);
  });
});
