#!/usr/bin/env node
// `helm test` checks, run inside the cluster with the gateway's image (Node 20, no other dependencies):
//   node helm-test.js ready   every service answers /readyz with 200
//   node helm-test.js smoke   a user registers and reads credits and videos through the gateway
// The same script runs against a local stack in the repository's system tests.
'use strict';

const deadline = Date.now() + Number(process.env.TIMEOUT_SECONDS || 120) * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function serviceUrls() {
  const pairs = (process.env.SERVICE_URLS || '').split(',').filter(Boolean).map((pair) => pair.split('='));
  if (pairs.length === 0 || pairs.some((pair) => pair.length !== 2)) throw new Error('SERVICE_URLS must be name=url,name=url');
  return Object.fromEntries(pairs);
}

async function call(method, url, { body, token } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function expect(condition, message, response) {
  if (!condition) throw new Error(`${message}${response ? ` (got ${response.status}: ${response.text.slice(0, 300)})` : ''}`);
}

async function ready() {
  for (const [name, url] of Object.entries(serviceUrls())) {
    let last = 'no answer';
    for (;;) {
      try {
        const response = await call('GET', `${url}/readyz`);
        if (response.status === 200) break;
        last = `${response.status} ${response.text.slice(0, 300)}`;
      } catch (error) {
        last = error.message;
      }
      if (Date.now() > deadline) throw new Error(`${name} is not ready: ${last}`);
      await sleep(2000);
    }
    console.log(`ok   ${name} is ready`);
  }
}

async function smoke() {
  const gateway = process.env.GATEWAY_URL;
  expect(gateway, 'GATEWAY_URL is required');
  // RFC 2606 reserves .invalid: these accounts are recognisably from smoke tests.
  const email = `smoke-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@smoke-test.invalid`;

  const anonymous = await call('GET', `${gateway}/videos`);
  expect(anonymous.status === 401 && anonymous.json?.error?.code, 'GET /videos without a token must be 401 with an error code', anonymous);
  console.log('ok   anonymous requests are refused');

  const registered = await call('POST', `${gateway}/auth/register`, { body: { email, password: `smoke ${Math.random()}` } });
  expect(registered.status === 201 && registered.json?.access_token, 'POST /auth/register must be 201 with an access token', registered);
  const token = registered.json.access_token;
  console.log(`ok   registered ${email}`);

  const me = await call('GET', `${gateway}/auth/me`, { token });
  expect(me.status === 200 && me.json?.email === email, 'GET /auth/me must return the new user', me);
  console.log('ok   the gateway knows the user');

  const credits = await call('GET', `${gateway}/credits`, { token });
  expect(credits.status === 200 && Number.isInteger(credits.json?.balance), 'GET /credits must return a balance (gateway → billing over NATS)', credits);
  console.log(`ok   billing answers: balance ${credits.json.balance}`);

  const videos = await call('GET', `${gateway}/videos`, { token });
  expect(videos.status === 200 && Array.isArray(videos.json?.items), 'GET /videos must return a list (gateway → videos over NATS)', videos);
  console.log('ok   videos answers');
}

const checks = { ready, smoke };
const check = checks[process.argv[2]];
if (!check) {
  console.error('usage: helm-test.js ready|smoke');
  process.exit(2);
}
check().then(
  () => console.log(`${process.argv[2]}: passed`),
  (error) => {
    console.error(`FAIL ${error.message}`);
    process.exit(1);
  },
);
