import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { httpRequestDuration } from '@study-buddy/observability';
import { createHttpApp } from '../bootstrap';
import { PlatformConfig } from '../platform/platform-config';

@Controller('metered')
class MeteredController {
  @Get(':id')
  get(@Param('id') id: string) {
    if (id === 'missing') throw new NotFoundException('no such thing');
    return { id };
  }
}

@Module({ controllers: [MeteredController] })
class MeteredModule {}

const config = { env: { TRUST_PROXY: false } } as Pick<PlatformConfig, 'env'>;

describe('HTTP request metrics', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createHttpApp(MeteredModule, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  async function count(labels: Record<string, string>): Promise<number | undefined> {
    const { values } = await httpRequestDuration.get();
    return values.find(
      (v) =>
        v.metricName === 'http_server_request_duration_seconds_count' &&
        Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
    )?.value;
  }

  it('times each request under its route template and status, never the id in the path', async () => {
    for (const id of ['a', 'b', 'missing']) await app.inject({ method: 'GET', url: `/metered/${id}` });
    expect(await count({ method: 'GET', route: '/metered/:id', status_code: '200' })).toBe(2);
    expect(await count({ method: 'GET', route: '/metered/:id', status_code: '404' })).toBe(1);
    const { values } = await httpRequestDuration.get();
    expect(values.some((v) => String(v.labels.route).includes('/metered/a'))).toBe(false);
  });

  it('files every path no route serves under one unmatched series', async () => {
    for (const path of ['/nope', '/random/1', '/random/2']) await app.inject({ method: 'GET', url: path });
    expect(await count({ route: 'unmatched', status_code: '404' })).toBe(3);
  });
});
