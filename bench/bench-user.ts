const json = { 'content-type': 'application/json' };

/** Registers a user through the gateway; the headers its requests carry (JSON, its access token). */
export async function registerBenchUser(api: string, email: string): Promise<Record<string, string>> {
  const response = await fetch(`${api}/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password: 'benchmark password' }),
  });
  const registered = (await response.json()) as { access_token: string };
  return { ...json, authorization: `Bearer ${registered.access_token}` };
}
