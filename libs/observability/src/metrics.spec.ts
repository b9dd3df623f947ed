import { scrapeMetrics } from '@study-buddy/testing';
import {
  collectProcessMetrics,
  consumerDeliveries,
  httpRequestDuration,
  probeProjectionLag,
  rpcClientDuration,
} from './metrics';
import { MetricsServer, startMetricsServer } from './metrics-server';

describe('the metrics endpoint', () => {
  let server: MetricsServer;
  let url: string;
  beforeAll(async () => {
    collectProcessMetrics('test-service');
    server = await startMetricsServer(0, '127.0.0.1');
    url = `http://127.0.0.1:${server.port}/metrics`;
  });
  afterAll(() => server.close());

  it('serves the process metrics and ours in the exposition format, labelled with the service', async () => {
    httpRequestDuration.observe({ method: 'GET', route: '/videos/:id', status_code: '200' }, 0.004);
    rpcClientDuration.observe({ rpc: 'videos.get', outcome: 'ok' }, 0.002);
    consumerDeliveries.inc({ consumer: 'notes-jobs', outcome: 'handled' });
    const metrics = await scrapeMetrics(url);
    expect(metrics.families.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(metrics.families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(metrics.families.get('http_server_request_duration_seconds')?.type).toBe('histogram');
    expect(
      metrics.value('http_server_request_duration_seconds', { route: '/videos/:id', service: 'test-service' }),
    ).toBe(1);
    expect(metrics.value('nats_rpc_client_duration_seconds', { rpc: 'videos.get', outcome: 'ok' })).toBe(1);
    expect(metrics.value('jetstream_consumer_deliveries_total', { consumer: 'notes-jobs' })).toBe(1);
  });

  it('reads probed gauges when scraped, leaving out a probe that fails or hangs', async () => {
    let lag = 3;
    const removals = [
      probeProjectionLag('videos', () => lag),
      probeProjectionLag('broken', () => Promise.reject(new Error('database down'))),
      probeProjectionLag('hanging', () => new Promise<number>(() => undefined)),
    ];
    try {
      const first = await scrapeMetrics(url);
      expect(first.value('projection_lag_events', { projection: 'videos' })).toBe(3);
      const series = first.families.get('projection_lag_events')!.samples.map((s) => s.labels.projection);
      expect(series).toEqual(['videos']);
      lag = 0;
      expect((await scrapeMetrics(url)).value('projection_lag_events', { projection: 'videos' })).toBe(0);
    } finally {
      for (const remove of removals) remove();
    }
    expect((await scrapeMetrics(url)).families.get('projection_lag_events')?.samples ?? []).toEqual([]);
  }, 15_000);

  it('answers 404 to anything but GET /metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
  });
});
