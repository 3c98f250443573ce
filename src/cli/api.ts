/**
 * The operator CLI's connection to a running API: GraphQL over HTTP, so every command goes through
 * the same authorization as any client, and works against a remote deployment as well as a local
 * one. Nothing here imports the server's code.
 */

/** A failure the CLI reports in one sentence and exit code 1 (never a stack). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The development operator (src/core/env.ts): tried only against a loopback address, see credentials(). */
const DEV_ADMIN = { email: 'admin@perks.local', password: 'admin-password-change-me' };

const LOG_IN = `mutation PerksCliLogIn($input: LogInInput!) {
  logIn(input: $input) { __typename ... on AuthPayload { token user { role } } ... on ErrorResult { errorCode message } }
}`;

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export interface CliEnv {
  PERKS_URL?: string;
  PERKS_TOKEN?: string;
  PERKS_EMAIL?: string;
  PERKS_PASSWORD?: string;
}

export class PerksApi {
  private token: string | null = null;
  readonly url: URL;

  constructor(private readonly env: CliEnv) {
    try {
      this.url = new URL(env.PERKS_URL || 'http://127.0.0.1:4000');
    } catch {
      throw new CliError(`PERKS_URL is not a URL (got "${env.PERKS_URL}"); e.g. http://127.0.0.1:4000`, 2);
    }
    if (!['http:', 'https:'].includes(this.url.protocol))
      throw new CliError(`PERKS_URL must be http:// or https:// (got "${env.PERKS_URL}")`, 2);
  }

  /**
   * PERKS_TOKEN (an operator's Bearer token) first; else PERKS_EMAIL and PERKS_PASSWORD, signed in
   * with logIn; else, against a loopback address only, the development operator. The development
   * password is never sent to another host, and a production API refuses it anyway.
   */
  private async credentials(): Promise<string> {
    if (this.env.PERKS_TOKEN) return this.env.PERKS_TOKEN;
    if (Boolean(this.env.PERKS_EMAIL) !== Boolean(this.env.PERKS_PASSWORD)) {
      throw new CliError('set both PERKS_EMAIL and PERKS_PASSWORD (or PERKS_TOKEN)', 2);
    }
    let login = this.env.PERKS_EMAIL ? { email: this.env.PERKS_EMAIL, password: this.env.PERKS_PASSWORD! } : null;
    if (!login) {
      if (!isLoopback(this.url))
        throw new CliError(`set PERKS_TOKEN, or PERKS_EMAIL and PERKS_PASSWORD, to sign in to ${this.url.origin}`, 2);
      login = DEV_ADMIN;
    }
    const { logIn } = await this.post(LOG_IN, { input: login }, null);
    if (logIn.__typename !== 'AuthPayload') {
      const hint = this.env.PERKS_EMAIL
        ? 'check PERKS_EMAIL and PERKS_PASSWORD'
        : 'no PERKS_TOKEN or PERKS_EMAIL/PERKS_PASSWORD set, and the development operator was refused';
      throw new CliError(`sign-in refused: ${logIn.message} (${hint})`);
    }
    if (logIn.user.role !== 'ADMIN') throw new CliError(`${login.email} is not an operator: the CLI needs an operator account`);
    return logIn.token;
  }

  /** Runs an operation as the operator; GraphQL errors become one CliError naming their codes. */
  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    this.token ??= await this.credentials();
    return this.post(query, variables, this.token);
  }

  private async post(query: string, variables: Record<string, unknown>, token: string | null): Promise<any> {
    let response: Response;
    const endpoint = new URL('/graphql', this.url);
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // Apollo's CSRF prevention wants a preflight-forcing header on requests a browser could forge.
          'apollo-require-preflight': 'true',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`cannot reach the API at ${endpoint.href} (${why}): is it running? check PERKS_URL`);
    }
    let body: { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new CliError(`${endpoint.href} answered HTTP ${response.status} without GraphQL: check PERKS_URL`);
    }
    if (body.errors?.length) {
      const codes = new Set(body.errors.map((e) => e.extensions?.code));
      const words = body.errors.map((e) => e.message).join('; ');
      if (codes.has('UNAUTHENTICATED')) throw new CliError(`not signed in: ${words} (check PERKS_TOKEN)`);
      if (codes.has('FORBIDDEN')) throw new CliError(`refused: ${words} (the CLI needs an operator account)`);
      throw new CliError(words);
    }
    return body.data;
  }
}
