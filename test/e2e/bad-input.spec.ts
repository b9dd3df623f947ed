import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findOperation, responseErrors } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';

/**
 * Every route of the gateway × every kind of bad input, against the running system: no 5xx, no
 * state change, no credit held. The routes come from the gateway's own log of what it registered,
 * so a new route without a row here fails the suite.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Row {
  /** A valid request's body (POST routes). */
  body?: Record<string, unknown>;
  /** The string fields worth poisoning. */
  fields?: string[];
  /** Query parameters the route reads. */
  query?: string[];
  /** Whether `:id` names a resource. */
  id?: boolean;
  /** A route that changes what `:id` names (cancel, retry, delete): every case names a video that does not exist. */
  destructive?: boolean;
  auth: boolean;
}

const ROUTES: Record<string, Row> = {
  'GET /healthz': { auth: false },
  'GET /openapi.json': { auth: false },
  'GET /docs': { auth: false },
  'GET /readyz': { auth: false },
  'POST /auth/register': {
    auth: false,
    body: { email: 'newcomer@example.com', password: 'a long password', name: 'New' },
    fields: ['email', 'password', 'name'],
  },
  'POST /auth/login': {
    auth: false,
    body: { email: 'erin@example.com', password: 'x' },
    fields: ['email', 'password'],
  },
  'GET /auth/me': { auth: true },
  'POST /auth/refresh': { auth: false, body: { refresh_token: 'not-a-session.token' }, fields: ['refresh_token'] },
  // Valid only without a body: the cases here send bad ones, and a stray logout leaves the access token valid.
  'POST /auth/logout': { auth: true },
  'POST /auth/logout-all': { auth: true },
  'POST /auth/password': {
    auth: true,
    body: { current_password: 'not the password', new_password: 'another long password' },
    fields: ['current_password', 'new_password'],
  },
  'GET /.well-known/jwks.json': { auth: false },
  'GET /user': { auth: true },
  'PATCH /user': { auth: true, body: { name: 'Erin' }, fields: ['name', 'default_subject', 'note_language'] },
  'POST /videos': {
    auth: true,
    body: { url: 'https://youtu.be/zzzzzzzzz01', subject: 'Biology', language: 'en', transcript: 'Some text.' },
    fields: ['url', 'subject', 'language', 'transcript'],
  },
  'GET /videos': { auth: true, query: ['status', 'cursor', 'limit'] },
  'GET /videos/info': { auth: true, query: ['url'] },
  // a link with no list= is refused before YouTube is asked or a credit is touched
  'POST /videos/playlist': {
    auth: true,
    body: { url: 'https://www.youtube.com/playlist?list=PLbadinput', subject: 'Biology', language: 'en', limit: 2 },
    fields: ['url', 'subject', 'language'],
  },
  'GET /playlists/:id': { auth: true, id: true },
  'GET /videos/:id': { auth: true, id: true },
  'GET /videos/:id/thumbnail': { auth: true, id: true },
  'GET /videos/:id/events': { auth: true, id: true },
  'POST /videos/:id/cancel': { auth: true, id: true, destructive: true },
  'POST /videos/:id/retry': {
    auth: true,
    id: true,
    destructive: true,
    body: { transcript: 'Some text.' },
    fields: ['transcript'],
  },
  'DELETE /videos/:id': { auth: true, id: true, destructive: true },
  'GET /events': { auth: true },
  'GET /notes': { auth: true, query: ['subject', 'tag', 'q', 'cursor', 'limit'] },
  'GET /notes/:id': { auth: true, id: true, query: ['include_content'] },
  // no If-Match either: every case is refused before a note could change
  'PATCH /notes/:id': {
    auth: true,
    id: true,
    destructive: true,
    body: { title: 'Mine' },
    fields: ['title', 'subject', 'body'],
  },
  'DELETE /notes/:id': { auth: true, id: true, destructive: true },
  'GET /notes/:id/versions': { auth: true, id: true },
  'GET /notes/:id/related': { auth: true, id: true, query: ['limit'] },
  'GET /subjects': { auth: true },
  'GET /graph': { auth: true },
  'GET /usage': { auth: true, query: ['from', 'to'] },
  'GET /credits': { auth: true },
  'GET /credits/history': { auth: true, query: ['cursor', 'limit'] },
  'GET /credits/packages': { auth: false },
  'POST /credits/checkout': {
    auth: true,
    body: { package: 'basic' },
    fields: ['package', 'success_url', 'cancel_url'],
  },
  'POST /webhooks/stripe': {
    auth: false,
    body: { id: 'evt_1', type: 'checkout.session.completed' },
    fields: ['id', 'type'],
  },
  'GET /notes/:id/download': { auth: true, id: true, query: ['format'] },
  'GET /exports/obsidian': { auth: true, query: ['subject'] },
  'GET /exports/anki': { auth: true, query: ['subject', 'format'] },
};

interface Case {
  route: string;
  name: string;
  method: Method;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const BAD_STRINGS: [string, string][] = [
  ['empty', ''],
  // beyond every field's limit, the transcript's (800 kB) included, yet inside the body limit
  ['huge', 'x'.repeat(900_000)],
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'a\ud800'],
  ['lone low surrogate', '\udc00b'],
  ['wrong type: number', 42 as unknown as string],
  ['wrong type: array', ['a'] as unknown as string],
  ['wrong type: object', { $gt: '' } as unknown as string],
  ['wrong type: null', null as unknown as string],
];
const BAD_QUERY_VALUES: [string, string][] = [
  ['empty', ''],
  ['huge', 'x'.repeat(6000)],
  ['NUL', '%00'],
  ['lone surrogate (CESU-8)', '%ED%A0%80'],
  ['invalid UTF-8', '%FF%FE'],
  ['bad encoding', '%E0%A4%A'],
  ['repeated', 'a&$KEY=b'],
];
const BAD_LIMITS = ['0', '101', '-1', '1.5', 'abc', '1e309', '99999999999999999999'];
const BAD_CURSORS = [
  'garbage',
  Buffer.from('["not a date","x"]').toString('base64url'),
  Buffer.from('["2026-01-01T00:00:00Z","not-a-uuid"]').toString('base64url'),
  Buffer.from('["2026-01-01T00:00:00Z","00000000-0000-4000-8000-000000000000",3]').toString('base64url'),
  Buffer.from('{"a":1}').toString('base64url'),
];
const MISSING_VIDEO_ID = '6f1c2e0a-9b7d-4c3e-8a5f-2d4b6c8e0f13';
const BAD_IDS = ['not-a-uuid', '%00', '..%2F..%2Fetc', '00000000-0000-4000-8000-00000000000', 'x'.repeat(300)];
const WRONG_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json-patch+json',
];

function casesFor(route: string, row: Row, realId: string): Case[] {
  const [method, template] = route.split(' ') as [Method, string];
  const at = (id: string) => template.replace(':id', id);
  if (row.destructive) realId = MISSING_VIDEO_ID;
  const base = at(realId);
  const cases: Case[] = [];
  const add = (name: string, c: Omit<Case, 'route' | 'name' | 'method'> & { method?: Method }) =>
    cases.push({ route, name, method: c.method ?? method, ...c });
  const json = { 'content-type': 'application/json' };

  if ((method === 'POST' || method === 'PATCH') && row.body) {
    add('malformed JSON', { path: base, headers: json, body: '{"url": ' });
    add('JSON that is not an object', { path: base, headers: json, body: '[1,2,3]' });
    add('empty body', { path: base, headers: json, body: '' });
    add('unknown field', { path: base, headers: json, body: JSON.stringify({ ...row.body, admin: true }) });
    add('prototype pollution', { path: base, headers: json, body: `{"__proto__":{"admin":true},"url":"x"}` });
    for (const field of row.fields ?? [])
      for (const [name, value] of BAD_STRINGS)
        add(`${field}: ${name}`, { path: base, headers: json, body: JSON.stringify({ ...row.body, [field]: value }) });
    for (const type of WRONG_CONTENT_TYPES)
      add(`content type ${type}`, { path: base, headers: { 'content-type': type }, body: 'url=x&email=a&password=b' });
    add('no content type', { path: base, body: JSON.stringify(row.body) });
    add('body over the limit', {
      path: base,
      headers: json,
      body: JSON.stringify({ ...row.body, x: 'y'.repeat(1_100_000) }),
    });
  }
  if (method === 'GET') {
    add('unknown query parameter', { path: `${base}?admin=true` });
    add('a body on a GET', { path: base, headers: json, body: '{"x":1}' });
  }
  for (const key of row.query ?? []) {
    for (const [name, value] of BAD_QUERY_VALUES)
      add(`query ${key}: ${name}`, { path: `${base}?${key}=${value.replace('$KEY', key)}` });
  }
  if (row.query?.includes('limit'))
    for (const limit of BAD_LIMITS) add(`limit ${limit}`, { path: `${base}?limit=${limit}` });
  if (row.query?.includes('cursor'))
    for (const cursor of BAD_CURSORS) add(`cursor ${cursor.slice(0, 20)}`, { path: `${base}?cursor=${cursor}` });
  if (row.id) {
    for (const id of BAD_IDS) add(`id ${id.slice(0, 20)}`, { path: at(id) });
    add('upper-case id', { path: at(realId.toUpperCase()) });
  }
  add('over-long path', { path: `${base}/${'p'.repeat(20_000)}` });
  add('over-long query', { path: `${base}?q=${'q'.repeat(20_000)}` });
  add('over-large header', { path: base, headers: { 'x-padding': 'h'.repeat(20_000) } });
  add('bad X-Request-Id', { path: base, headers: { 'x-request-id': 'a b c <script>' } });
  add('bad Last-Event-ID', { path: base, headers: { 'last-event-id': '../../x' } });
  add('wrong method', { path: base, method: method === 'GET' ? 'POST' : 'GET' });
  if (row.auth) {
    add('no token', { path: base, headers: { authorization: '' } });
    add('forged token', { path: base, headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } });
    add('garbage authorization', { path: base, headers: { authorization: 'Basic \u00ff\u00ff' } });
  }
  return cases;
}

/** Sends one case as an attacker would; an event stream that opens is closed after its headers. */
async function send(baseUrl: string, token: string, c: Case): Promise<{ status: number; body: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  try {
    const response = await fetch(`${baseUrl}${c.path}`, {
      method: c.method,
      headers: { authorization: `Bearer ${token}`, ...c.headers },
      body: c.body === undefined || c.method === 'GET' ? undefined : c.body,
      signal: abort.signal,
    });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      abort.abort();
      return { status: response.status, body: '' };
    }
    return { status: response.status, body: await response.text() };
  } finally {
    clearTimeout(timer);
  }
}

describe('bad input on every route (system test)', () => {
  let system: System;

  beforeAll(async () => {
    // Every bad submission (and export) counts towards its limit too: lift them for this suite.
    // The webhook's secret is set so that its bad deliveries meet the signature check (unset, it answers 503).
    system = await startSystem({
      extraEnv: {
        RATE_LIMIT_SUBMIT: '100000',
        RATE_LIMIT_EXPORT: '100000',
        STRIPE_WEBHOOK_SECRET: 'whsec_bad_input_suite_only',
      },
    });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  function registeredRoutes(): string[] {
    const log = readFileSync(path.join(system.logsDirectory, 'gateway.log'), 'utf8');
    const routes = [...log.matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)].map(([, p, m]) => `${m} ${p}`);
    expect(routes.length).toBeGreaterThan(5);
    return [...new Set(routes)].sort();
  }

  it('has a row for every route the gateway registered, and none for a route it does not have', () => {
    expect(readdirSync(system.logsDirectory)).toContain('gateway.log');
    expect(registeredRoutes()).toEqual(Object.keys(ROUTES).sort());
  });

  it('answers every bad input with a 4xx in the usual shape, never a 5xx, and changes nothing', async () => {
    const { client } = await system.api.registerUser('erin@example.com');
    const token = client.token!;
    // One real video, so ids and the upper-case case have something to find.
    const video = await client.post<{ video_id: string }>('/videos', { url: 'https://youtu.be/zzzzzzzzz00' });
    expect(video.status).toBe(202);
    const settled = async () => {
      for (let i = 0; i < 400; i++) {
        const { body } = await client.get<{ status: string }>(`/videos/${video.body.video_id}`);
        // failed, and its credit back (billing hears of the failure a moment later)
        if (body.status === 'failed' && (await client.get<{ reserved: number }>('/credits')).body.reserved === 0)
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await settled(); // no transcript: it fails and its credit comes back
    const snapshot = async (as: ApiClient) => ({
      credits: (await as.get('/credits')).body,
      videos: (await as.get<{ items: { video_id: string }[] }>('/videos')).body.items.map((v) => v.video_id),
      notes: (await as.get<{ items: unknown[] }>('/notes')).body.items.length,
    });
    const before = await snapshot(client);
    expect(before.credits).toEqual({ balance: 3, reserved: 0 });

    const document: unknown = await (await fetch(`${system.api.baseUrl}/openapi.json`)).json();
    const failures: string[] = [];
    let count = 0;
    for (const [route, row] of Object.entries(ROUTES)) {
      for (const c of casesFor(route, row, video.body.video_id)) {
        count++;
        const { status, body } = await send(system.api.baseUrl, token, c);
        const label = `${c.route} — ${c.name}: ${status}`;
        if (status >= 500) failures.push(`${label} ${body.slice(0, 200)}`);
        else if (status >= 400) {
          // the platform's error shape, and nothing of the request echoed back
          let shape: { error?: { code?: unknown; message?: unknown } } = {};
          try {
            shape = JSON.parse(body) as typeof shape;
          } catch {
            /* not JSON */
          }
          if (typeof shape.error?.code !== 'string' || typeof shape.error?.message !== 'string')
            failures.push(`${label} not in the error shape: ${body.slice(0, 200)}`);
          // a status and a code the document declares for the route
          const operation = findOperation(document, c.method, c.path);
          if (operation)
            for (const e of responseErrors(document, operation, status, shape)) failures.push(`${label} ${e}`);
          if (body.includes('x'.repeat(200)) || body.includes('p'.repeat(200)) || body.includes('q'.repeat(200)))
            failures.push(`${label} echoes the request`);
        }
      }
    }
    expect({ count: count > 300, failures }).toEqual({ count: true, failures: [] });

    // Nothing changed, no credit is held, and no account was created by a bad registration.
    expect(await snapshot(client)).toEqual(before);
    const login = await system.api.post('/auth/login', { email: 'newcomer@example.com', password: 'a long password' });
    expect(login.status).toBe(401);
  }, 600_000);

  it('finds a video right after its 202, and by its id in any case', async () => {
    const { client } = await system.api.registerUser('fred@example.com');
    for (const n of [1, 2, 3]) {
      const submitted = await client.post<{ video_id: string }>('/videos', {
        url: `https://youtu.be/yyyyyyyyy0${n}`,
        transcript: 'A short lecture about light.',
      });
      expect(submitted.status).toBe(202);
      const [lower, upper] = await Promise.all([
        client.get<{ video_id: string }>(`/videos/${submitted.body.video_id}`),
        client.get<{ video_id: string }>(`/videos/${submitted.body.video_id.toUpperCase()}`),
      ]);
      expect([lower.status, upper.status]).toEqual([200, 200]);
      expect(upper.body.video_id).toBe(submitted.body.video_id);
    }
  });
});
