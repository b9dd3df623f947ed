import { Core } from './client';

export function creditsApi(core: Core) {
  return {
    balance: () => core.call(() => core.http.GET('/credits')),
    packages: () => core.call(() => core.http.GET('/credits/packages')),
    history: (cursor?: string) =>
      core.call(() => core.http.GET('/credits/history', { params: { query: cursor ? { cursor } : {} } })),
    usage: () => core.call(() => core.http.GET('/usage')),
    /** Billing's own success and cancel pages (`/?checkout=…`) bring the customer back. */
    checkout: (packageId: string) =>
      core.call(() =>
        core.http.POST('/credits/checkout', { body: { package: packageId }, headers: { 'idempotency-key': key() } }),
      ),
  };
}

const key = () => `web-${crypto.randomUUID()}`;
