/** A small client for the public REST API, as a user's script would call it. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

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
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  /** Registers a new user and returns a client that acts as them. */
  async registerUser(
    email: string,
    password = 'correct horse battery staple',
  ): Promise<{ client: ApiClient; userId: string }> {
    const { status, body } = await this.post<{ access_token: string; user_id: string }>('/auth/register', {
      email,
      password,
    });
    if (status !== 201) throw new Error(`register ${email}: ${status} ${JSON.stringify(body)}`);
    return { client: this.withToken(body.access_token), userId: body.user_id };
  }
}
