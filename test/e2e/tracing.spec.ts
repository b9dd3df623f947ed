import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '@study-buddy/contracts';
import {
  CollectedSpan,
  FakeAnthropic,
  FakeOtlpCollector,
  startFakeAnthropic,
  startFakeOtlpCollector,
  waitFor,
} from '@study-buddy/testing';
import { photosynthesisLecture as lecture } from './support/lecture';
import { scanLogs } from './support/log-scan';
import { startSystem, System } from './support/system';

/**
 * One video through the five services with tracing on (OTLP to a collector stand-in) and JSON logs: one
 * trace from the gateway's request to billing's capture, and log lines that carry its ids and no secret.
 */
describe('traces and structured logs (system test)', () => {
  let collector: FakeOtlpCollector;
  let claude: FakeAnthropic;
  let system: System;
  const password = 'tracing horse battery staple';

  beforeAll(async () => {
    collector = await startFakeOtlpCollector();
    claude = await startFakeAnthropic({ apiKey: 'sk-ant-e2e-tracing-key-0123456789' });
    system = await startSystem({
      extraEnv: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_TRACES_SAMPLER_ARG: '1',
        OTEL_BSP_SCHEDULE_DELAY: '200', // export every 200 ms, not every 5 s
        LOG_FORMAT: 'json',
        ANTHROPIC_API_KEY: claude.apiKey,
        ANTHROPIC_BASE_URL: claude.baseUrl,
      },
    });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await claude?.close();
    await collector?.close();
  }, 60_000);

  let accessToken = '';
  let refreshToken = '';
  let videoId = '';
  let traceId = '';

  /** The span and its ancestors' names, from the root down: `gateway POST /videos > …`. */
  const pathOf = (spans: CollectedSpan[], span: CollectedSpan): string[] => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const chain: string[] = [];
    for (let s: CollectedSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined)
      chain.unshift(`${s.service} ${s.name}`);
    return chain;
  };

  it('follows one POST /videos through all five services in one trace', async () => {
    const register = await system.api.post<{ access_token: string; refresh_token: string }>('/auth/register', {
      email: 'traced@example.com',
      password,
    });
    expect(register.status).toBe(201);
    accessToken = register.body.access_token;
    refreshToken = register.body.refresh_token;
    const client = system.api.withToken(accessToken);
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/tracedvid01',
      transcript: lecture,
    });
    expect(submitted.status).toBe(202);
    videoId = submitted.body.video_id;
    await waitFor(
      async () => (await client.get<{ status: string }>(`/videos/${videoId}`)).body.status === 'completed',
      { timeoutMs: 60_000, intervalMs: 200, what: 'the video to complete' },
    );

    const root = await waitFor(
      () => collector.spans.find((s) => s.service === 'gateway' && s.name === 'POST /videos' && s.kind === 2),
      { what: "the gateway's POST /videos span" },
    );
    traceId = root.traceId;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes['http.route']).toBe('/videos');
    // billing captures the credit from the video's completion: the trace's last hop. Each service exports on
    // its own timer, so billing's span can arrive before an ancestor's: wait for the whole chain up to the root.
    const capture = await waitFor(
      () => {
        const trace = collector.trace(traceId);
        const last = trace.find((s) => s.service === 'billing' && s.kind === 5 && s.name === 'VideoCompleted process');
        return last && pathOf(trace, last)[0] === 'gateway POST /videos' ? last : undefined;
      },
      { timeoutMs: 15_000, what: "billing's delivery of VideoCompleted in the same trace, with all its ancestors" },
    );
    const spans = collector.trace(traceId);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(SERVICES));

    // gateway → videos → billing (the reservation), then by events: processor → notes (the note) → videos
    // (the video completed) → billing (the capture)
    const hops = (span: CollectedSpan) =>
      pathOf(spans, span).filter((hop) => / (request|process|publish)$/.test(hop) || hop === 'gateway POST /videos');
    const find = (service: string, name: string) => {
      const found = spans.find((s) => s.service === service && s.name === name);
      if (!found)
        throw new Error(`no ${service} ${name} in the trace: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
      return found;
    };
    expect(hops(find('billing', 'billing.reserve process'))).toEqual([
      'gateway POST /videos',
      'gateway videos.submit request',
      'videos videos.submit process',
      'videos billing.reserve request',
      'billing billing.reserve process',
    ]);
    expect(hops(capture)).toEqual([
      'gateway POST /videos',
      'gateway videos.submit request',
      'videos videos.submit process',
      'videos VideoSubmitted publish',
      'processor VideoSubmitted process',
      'processor JobCompleted publish',
      'notes JobCompleted process',
      'notes NoteCreated publish',
      'videos NoteCreated process',
      'videos VideoCompleted publish',
      'billing VideoCompleted process',
    ]);

    // our own spans where no instrumentation exists: the pipeline's steps and each Claude call in them
    const names = spans.map((s) => `${s.service} ${s.name}`);
    for (const step of ['fetching_transcript', 'generating_notes', 'generating_assessment', 'writing_files'])
      expect(names).toContain(`processor pipeline ${step}`);
    const call = spans.find((s) => s.name === 'claude note');
    expect(pathOf(spans, call!).slice(-2)).toEqual(['processor pipeline generating_notes', 'processor claude note']);
    expect(call!.attributes).toMatchObject({
      'gen_ai.system': 'anthropic',
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.usage.output_tokens': expect.any(Number),
    });
    // and the instrumentations': PostgreSQL queries and the outgoing HTTP call to Anthropic
    expect(
      spans.some(
        (s) =>
          (s.service === 'videos' && s.attributes['db.system.name'] === 'postgresql') ||
          s.attributes['db.system'] === 'postgresql',
      ),
    ).toBe(true);
    expect(
      pathOf(spans, spans.find((s) => s.kind === 3 && s.service === 'processor' && /POST/.test(s.name))!),
    ).toContain('processor claude note');
  }, 120_000);

  it('logs JSON lines only, with service, level and the ids of the work, and no secret', () => {
    const directory = system.logsDirectory;
    const lines = readdirSync(directory).flatMap((file) =>
      readFileSync(path.join(directory, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((text) => ({ file, text })),
    );
    expect(lines.length).toBeGreaterThan(50);
    const parsed = lines.map(({ file, text }) => {
      try {
        return { file, line: JSON.parse(text) as Record<string, unknown> };
      } catch {
        throw new Error(`${file}: not a JSON line: ${text.slice(0, 300)}`);
      }
    });
    for (const { file, line } of parsed) {
      expect({ file, level: typeof line.level, service: line.service, time: typeof line.time }).toEqual({
        file,
        level: 'string',
        service: file.replace(/(-\d+)?\.log$/, ''),
        time: 'string',
      });
    }
    // one access-log line per request, with its request id, the user and the request's trace
    const access = parsed.find(
      ({ line }) => line.context === 'HTTP' && line.route === '/videos' && line.method === 'POST',
    )?.line;
    expect(access).toMatchObject({
      service: 'gateway',
      status: 202,
      request_id: expect.any(String),
      user_id: expect.any(String),
      trace_id: traceId,
      duration_ms: expect.any(Number),
    });
    // a line the processor wrote while handling the video carries its trace and correlation id
    const processing = parsed.find(
      ({ line }) => line.service === 'processor' && String(line.msg).includes(videoId) && line.trace_id === traceId,
    )?.line;
    expect(processing).toMatchObject({ correlation_id: access!.request_id, span_id: expect.any(String) });

    const text = lines.map((l) => l.text).join('\n');
    const secrets = {
      password,
      accessToken,
      refreshToken,
      anthropicKey: claude.apiKey,
      signingKey: String(system.stack.env.JWT_SIGNING_KEYS).slice(60, 120),
      transcript: lecture.slice(100, 160),
    };
    for (const secret of Object.values(secrets)) expect(secret.length).toBeGreaterThan(10);
    expect(scanLogs(directory, secrets)).toEqual([]);
    expect(text).not.toMatch(/\$argon2|\$2[aby]\$\d\d\$/); // no password hash
  });
});
