import { Locator } from 'playwright-core';

/** Polls `check` until it holds, then resolves; otherwise fails naming `what` and the last value seen. */
export async function eventually(
  what: string,
  check: () => Promise<{ ok: boolean; seen: unknown }>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result.ok) return;
      seen = result.seen;
    } catch (e) {
      seen = (e as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const matches = (value: string | null, want: string | RegExp) =>
  value !== null && (typeof want === 'string' ? value.trim() === want : want.test(value));

/** Waiting assertions on locators (playwright-core has no `expect` of its own). */
export const see = {
  visible: (locator: Locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout }),
  hidden: (locator: Locator, timeout = 20_000) => locator.first().waitFor({ state: 'hidden', timeout }),
  text: (locator: Locator, want: string | RegExp, timeout?: number) =>
    eventually(
      `${locator} to read ${want}`,
      async () => {
        const text = await locator.first().innerText({ timeout: 1000 });
        return { ok: matches(text, want), seen: text };
      },
      timeout,
    ),
  count: (locator: Locator, n: number, timeout?: number) =>
    eventually(
      `${n} of ${locator}`,
      async () => {
        const count = await locator.count();
        return { ok: count === n, seen: count };
      },
      timeout,
    ),
  attribute: (locator: Locator, name: string, want: string | RegExp | null, timeout?: number) =>
    eventually(
      `${locator} [${name}] to be ${want}`,
      async () => {
        const value = await locator.first().getAttribute(name, { timeout: 1000 });
        return { ok: want === null ? value === null : matches(value, want), seen: value };
      },
      timeout,
    ),
};
