/** A small client of the public API for the command-line tools (the station kit and the demo). */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tools read the documented fields they need
  body: any;
}

export interface CallOptions {
  token?: string;
  /** A JSON body (serialised here). */
  body?: unknown;
  /** Exact bytes with their own Content-Type (a signed request). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** The API refused (or failed): its problem's status, code and detail in the message. */
export class ApiRefusal extends Error {
  constructor(
    readonly what: string,
    readonly answer: ApiAnswer,
  ) {
    const p = answer.body as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
    const fields = p?.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    super(
      `${what}: ${answer.status} ${p?.code ?? ''} ${p?.detail ?? JSON.stringify(answer.body)}${fields ? ` (${fields})` : ''}`,
    );
    this.name = 'ApiRefusal';
  }

  get code(): string | undefined {
    return (this.answer.body as { code?: string } | undefined)?.code;
  }
}

export class ApiClient {
  /** `url` is where the API answers, e.g. http://localhost:3000 (the routes add /api/v1). */
  constructor(readonly url: string) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    // The tools log in English; staff screens get Chinese by default.
    const headers: Record<string, string> = { 'accept-language': 'en', ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** A call that must answer one of `ok` (default 2xx); anything else throws an ApiRefusal. */
  async expect(what: string, method: string, path: string, options: CallOptions = {}, ok?: number[]) {
    const answer = await this.call(method, path, options);
    const accepted = ok ? ok.includes(answer.status) : answer.status >= 200 && answer.status < 300;
    if (!accepted) throw new ApiRefusal(what, answer);
    return answer;
  }

  async signIn(username: string, password: string): Promise<string> {
    const answer = await this.expect(`sign-in of ${username}`, 'POST', '/api/v1/auth/token', {
      body: { username, password },
    });
    return answer.body.accessToken as string;
  }

  /** Whether the API answers its readiness probe. */
  async ready(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/health/ready`)).ok;
    } catch {
      return false;
    }
  }
}
