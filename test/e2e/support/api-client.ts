import { findOperation, openApiDocumentErrors, responseErrors } from '@study-buddy/testing';

/** The gateway's own /openapi.json, checked and fetched once per gateway (a failed fetch is tried again next time). */
const documents = new Map<string, Promise<unknown>>();
function openApiDocument(baseUrl: string): Promise<unknown> {
  let doc = documents.get(baseUrl);
  if (!doc) {
    doc = fetch(`${baseUrl}/openapi.json`).then(async (r) => {
      if (r.status !== 200) throw new Error(`GET /openapi.json answered ${r.status}`);
      const served: unknown = await r.json();
      const errors = openApiDocumentErrors(served);
      if (errors.length) throw new Error(`/openapi.json is not valid OpenAPI 3.1: ${errors.join('; ')}`);
      return served;
    });
    doc.catch(() => documents.delete(baseUrl));
    documents.set(baseUrl, doc);
  }
  return doc;
}

/**
 * Every reply the system tests receive through ApiClient is held to the published document: the
 * route is in it, the status is one it declares, and a JSON body matches that status's schema.
 */
async function checkConformance(baseUrl: string, method: string, path: string, status: number, body: unknown) {
  const doc = await openApiDocument(baseUrl);
  const found = findOperation(doc, method, path);
  if (!found) {
    if (status === 404) return; // no such route: nothing to conform to
    throw new Error(`${method} ${path} answered ${status} but is not in /openapi.json`);
  }
  const errors = responseErrors(doc, found, status, body);
  if (errors.length)
    throw new Error(
      `${method} ${path} → ${status} does not conform to /openapi.json (${found.template}): ${errors.slice(0, 10).join('; ')}`,
    );
}

/** A small client for the public REST API, as a user's script would call it. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** The password `registerUser` gives every test user unless told otherwise. */
export const DEFAULT_PASSWORD = 'correct horse battery staple';

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    await checkConformance(this.baseUrl, method, path, response.status, parsed);
    return { status: response.status, body: (parsed ?? {}) as T, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  /** Registers a new user and returns a client that acts as them. */
  async registerUser(email: string, password = DEFAULT_PASSWORD): Promise<{ client: ApiClient; userId: string }> {
    const { status, body } = await this.post<{ access_token: string; user_id: string }>('/auth/register', {
      email,
      password,
    });
    if (status !== 201) throw new Error(`register ${email}: ${status} ${JSON.stringify(body)}`);
    return { client: this.withToken(body.access_token), userId: body.user_id };
  }
}
