import { randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';
import { SERVICES } from '@study-buddy/contracts';
import { FakeAnthropic, scrapeMetrics, startFakeAnthropic, waitFor } from '@study-buddy/testing';
import { photosynthesisLecture as lecture } from './support/lecture';
import { startSystem, System } from './support/system';

type Scrape = Awaited<ReturnType<typeof scrapeMetrics>>;

/**
 * Every service's `/metrics` on its own port, scraped as Prometheus would while videos go through: each
 * answer must parse as the exposition format, and the series must move with what the platform does.
 */
describe('Prometheus metrics (system test)', () => {
  let claude: FakeAnthropic;
  let system: System;

  beforeAll(async () => {
    claude = await startFakeAnthropic();
    // slow answers and one job at a time: the processor's consumer falls behind for a while
    claude.setDefault({ kind: 'default', delayMs: 700 });
    system = await startSystem({
      extraEnv: {
        ANTHROPIC_API_KEY: claude.apiKey,
        ANTHROPIC_BASE_URL: claude.baseUrl,
        SIGNUP_CREDITS: '10',
      },
      serviceEnv: { processor: { JOB_CONCURRENCY: '1' } },
    });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await claude?.close();
  }, 60_000);

  const scrape = (process: string) => scrapeMetrics(system.stack.metricsUrls[process]);
  const scrapeAll = async () =>
    Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await scrape(s)] as const))) as Record<
      (typeof SERVICES)[number],
      Scrape
    >;
  /** The processor's events behind: not yet delivered plus delivered and in hand, over its durables. */
  const processorLag = (m: Scrape) =>
    m.value('jetstream_consumer_pending_messages') + m.value('jetstream_consumer_ack_pending_messages');

  it('serves the exposition format on each service, with process metrics and nothing on other paths', async () => {
    expect(Object.keys(system.stack.metricsUrls).sort()).toEqual([...SERVICES].sort());
    for (const [service, m] of Object.entries(await scrapeAll())) {
      expect(m.families.get('process_cpu_seconds_total')?.type).toBe('counter');
      expect(m.families.get('process_cpu_seconds_total')?.samples[0].labels).toEqual({ service });
      expect(m.families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    }
    const other = await fetch(system.stack.metricsUrls.gateway.replace('/metrics', '/videos'));
    expect(other.status).toBe(404);
    // and the public API port has no /metrics
    expect((await fetch(`${system.stack.gatewayUrl}/metrics`)).status).toBe(404);
  });

  it('moves with the videos: HTTP, RPC, deliveries, and a consumer lag that rises and falls', async () => {
    const before = await scrapeAll();
    const { client } = await system.api.registerUser('metrics@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const submitted = await client.post<{ video_id: string }>('/videos', {
        url: `https://youtu.be/metricsvid${i}`,
        transcript: lecture,
      });
      expect(submitted.status).toBe(202);
      ids.push(submitted.body.video_id);
    }
    // one job at a time, each waiting on slow Claude answers: the others wait in the durable
    const peak = await waitFor(
      async () => {
        const lag = processorLag(await scrape('processor'));
        return lag >= 2 ? lag : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'the processor to fall behind' },
    );
    expect(peak).toBeGreaterThanOrEqual(2);
    for (const id of ids)
      await waitFor(
        async () => {
          const { body } = await client.get<{ status: string }>(`/videos/${id}`);
          return body.status === 'completed' ? body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, what: `video ${id} to complete` },
      );
    await waitFor(async () => processorLag(await scrape('processor')) === 0, {
      timeoutMs: 10_000,
      what: 'the processor to catch up',
    });

    const after = await scrapeAll();
    const grew = (service: keyof typeof after, name: string, labels?: Record<string, string>) =>
      after[service].value(name, labels) - before[service].value(name, labels);
    expect(grew('gateway', 'http_server_request_duration_seconds', { route: '/videos', status_code: '202' })).toBe(3);
    expect(grew('gateway', 'http_server_request_duration_seconds', { route: '/videos/:id' })).toBeGreaterThanOrEqual(3);
    expect(grew('gateway', 'nats_rpc_client_duration_seconds', { rpc: 'videos.submit', outcome: 'ok' })).toBe(3);
    expect(grew('videos', 'nats_rpc_client_duration_seconds', { rpc: 'billing.reserve', outcome: 'ok' })).toBe(3);
    expect(grew('processor', 'jetstream_consumer_deliveries_total', { outcome: 'handled' })).toBeGreaterThanOrEqual(3);
    // what the pipeline, billing and Claude did
    expect(grew('processor', 'pipeline_jobs_total', { outcome: 'completed' })).toBe(3);
    for (const step of [
      'fetching_transcript',
      'generating_notes',
      'generating_assessment',
      'writing_files',
      'creating_links',
    ])
      expect({ step, runs: grew('processor', 'pipeline_step_duration_seconds', { step, outcome: 'ok' }) }).toEqual({
        step,
        runs: 3,
      });
    // each note waited on the slow fake twice (note, assessment): the step's time is measured in seconds
    expect(after.processor.value('pipeline_step_duration_seconds_sum', { step: 'generating_notes' })).toBeGreaterThan(
      3 * 0.6,
    );
    expect(grew('processor', 'claude_requests_total', { outcome: 'ok' })).toBe(6);
    expect(grew('processor', 'claude_tokens_total', { kind: 'input' })).toBeGreaterThan(0);
    expect(grew('processor', 'claude_estimated_cost_usd_total')).toBeGreaterThan(0);
    await waitFor(
      async () => {
        const billing = await scrape('billing');
        const moved = (operation: string) =>
          billing.value('billing_credits_total', { operation }) -
          before.billing.value('billing_credits_total', { operation });
        return moved('reserved') === 3 && moved('captured') === 3 && moved('granted') === 10;
      },
      { timeoutMs: 10_000, what: 'billing to count 10 credits granted, 3 reserved and 3 captured' },
    );
    for (const service of ['videos', 'notes', 'billing'] as const)
      expect(grew(service, 'jetstream_consumer_deliveries_total', { outcome: 'handled' })).toBeGreaterThan(0);
    // every read model and relay reports how far behind its store it is, and all are caught up now
    const lags = async () => {
      const m = await scrapeAll();
      return Object.fromEntries(
        SERVICES.flatMap((service) =>
          ['projection_lag_events', 'outbox_relay_lag_events'].flatMap((name) =>
            (m[service].families.get(name)?.samples ?? []).map(
              (x) => [`${service} ${x.labels.projection ?? `relay ${x.labels.relay}`}`, x.value] as const,
            ),
          ),
        ),
      );
    };
    const caughtUp = Object.fromEntries(
      [
        'gateway users',
        'videos videos',
        'videos video_history',
        'videos usage_by_month',
        'videos playlists',
        'notes notes',
        'billing accounts',
        'billing reservations',
        'billing checkouts',
        'billing stripe_inbox',
        ...['gateway', 'videos', 'processor', 'notes'].map((s) => `${s} relay ${s}`), // billing publishes nothing
      ].map((series) => [series, 0]),
    );
    let last: Record<string, number> = {};
    const sorted = (o: Record<string, number>) => JSON.stringify(Object.entries(o).sort());
    await waitFor(async () => sorted((last = await lags())) === sorted(caughtUp), {
      timeoutMs: 15_000,
      what: 'every projection and relay to report no lag',
    }).catch(() => expect(last).toEqual(caughtUp));
  }, 120_000);

  it('counts a dead letter on the consumer that gave up on the event', async () => {
    const before = await scrapeAll();
    const total = (all: Record<string, Scrape>) =>
      Object.values(all).reduce((n, m) => n + m.value('jetstream_consumer_dead_letters_total'), 0);
    const env = system.stack.env;
    const nc = await connect({ servers: env.NATS_URL });
    try {
      // not an integration event at all: every consumer of videos' events dead-letters it at once
      await nc
        .jetstream()
        .publish(`${env.MESSAGING_NAMESPACE}evt.videos.VideoSubmitted`, JSONCodec().encode({ hello: 'world' }), {
          msgID: randomUUID(),
        });
    } finally {
      await nc.close();
    }
    await waitFor(async () => total(await scrapeAll()) > total(before), { what: 'a dead letter counted' });
    const processor = await scrape('processor');
    expect(
      processor.value('jetstream_consumer_dead_letters_total') -
        before.processor.value('jetstream_consumer_dead_letters_total'),
    ).toBe(1);
  }, 60_000);
});
