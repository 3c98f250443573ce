import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { printDocument } from '../../src/client/execute';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  raw: string;
}

export interface Credentials {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A small GraphQL-over-HTTP client for e2e tests: real requests, no Apollo internals. */
export class GraphQLClient {
  constructor(readonly endpoint: string) {}

  /**
   * With a typed document (src/client/generated, from examples/), the answer and the variables are
   * typed by the operation: a test reading a field the schema no longer has fails the type check.
   */
  async request<R, V>(document: TypedDocumentNode<R, V>, variables: V, credentials?: Credentials): Promise<GraphQLResponse<R>>;
  async request<T = any>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<GraphQLResponse<T>>;
  async request<T = any>(
    operation: string | TypedDocumentNode<T, unknown>,
    variables: unknown = {},
    credentials: Credentials = {},
  ): Promise<GraphQLResponse<T>> {
    const query = typeof operation === 'string' ? operation : printDocument(operation);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...credentials.headers };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
    const response = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const raw = await response.text();
    let body: { data?: T; errors?: GraphQLResponse['errors'] } = {};
    try {
      body = JSON.parse(raw);
    } catch {
      // Left empty: the test sees `raw`.
    }
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, raw };
  }

  /** Like request, but fails the test on any GraphQL error. */
  async ok<R, V>(document: TypedDocumentNode<R, V>, variables: V, credentials?: Credentials): Promise<R>;
  async ok<T = any>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<T>;
  async ok<T = any>(operation: string | TypedDocumentNode<T, unknown>, variables: unknown = {}, credentials: Credentials = {}): Promise<T> {
    const response =
      typeof operation === 'string'
        ? await this.request<T>(operation, variables as Record<string, unknown>, credentials)
        : await this.request(operation, variables, credentials);
    if (response.errors?.length || response.status !== 200) {
      throw new Error(`GraphQL request failed (${response.status}): ${response.raw}`);
    }
    return response.data as T;
  }
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(5).toString('hex')}@test.perks`;
}

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload {
        token
        expiresAt
        user {
          id
          email
          role
          name
          organizations {
            id
            kind
            name
          }
        }
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;

export const LOG_IN = /* GraphQL */ `
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload {
        token
        user {
          id
          email
        }
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;

export interface SignedUp {
  token: string;
  userId: string;
  email: string;
  organizationId?: string;
}

/** A signed-up influencer with their profile's id. */
export interface Person extends SignedUp {
  influencerId: string;
}

/** Signs a new person up through the API and returns their token (and organisation, if any). */
export async function signUp(
  client: GraphQLClient,
  role: 'BRAND' | 'AGENCY' | 'INFLUENCER',
  extra: Record<string, unknown> = {},
): Promise<SignedUp> {
  const email = uniqueEmail(role.toLowerCase());
  const data = await client.ok(SIGN_UP, { input: { email, password: 'correct horse battery', role, name: `Test ${role}`, ...extra } });
  if (data.signUp.__typename !== 'AuthPayload') throw new Error(`sign-up failed: ${JSON.stringify(data.signUp)}`);
  return { token: data.signUp.token, userId: data.signUp.user.id, email, organizationId: data.signUp.user.organizations[0]?.id };
}

export async function logInAdmin(client: GraphQLClient): Promise<string> {
  const data = await client.ok(LOG_IN, { input: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } });
  if (data.logIn.__typename !== 'AuthPayload') throw new Error('admin log-in failed');
  return data.logIn.token;
}
