import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * A typed GraphQL-over-HTTP call for the documents GraphQL Code Generator makes from examples/
 * (src/client/generated): the answer's type and the variables' type come from the operation, so
 * code reading an answer stops compiling when the schema no longer gives what it reads.
 */

export interface Credentials {
  token?: string;
  apiKey?: string;
}

/** Sends one typed operation and resolves with its data, or rejects on any GraphQL or HTTP error. */
export type Send = <R, V>(document: TypedDocumentNode<R, V>, variables: V, credentials?: Credentials) => Promise<R>;

const printedDocuments = new WeakMap<DocumentNode, string>();

/** The document's text as sent (printed once per document). */
export function printDocument(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

/** The name of the document's operation (each example file holds exactly one). */
export function operationName(document: DocumentNode): string {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return operation?.name?.value ?? 'anonymous';
}

/** An answer with errors (or no JSON at all): the first error's message and code, and the HTTP status. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: Array<{ message: string; extensions?: { code?: string } }>,
  ) {
    const first = errors[0];
    super(`${operation}: HTTP ${status}${first ? `, ${first.extensions?.code ?? 'ERROR'}: ${first.message}` : ''}`);
  }
}

/** A Send over HTTP POST to `endpoint` (e.g. http://127.0.0.1:4000/graphql). */
export function httpSend(endpoint: string): Send {
  return async function send<R, V>(document: TypedDocumentNode<R, V>, variables: V, credentials: Credentials = {}): Promise<R> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
    const name = operationName(document);
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: printDocument(document), operationName: name, variables }),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach ${endpoint}: ${cause?.code ?? cause?.message ?? String(error)}`);
    }
    let body: { data?: unknown; errors?: GraphQLRequestError['errors'] } = {};
    try {
      body = (await response.json()) as typeof body;
    } catch {
      // Not JSON (a proxy's error page): reported below with the status.
    }
    if (!response.ok || body.errors?.length || !body.data) throw new GraphQLRequestError(name, response.status, body.errors ?? []);
    return body.data as R;
  };
}

/** A union answer (an ErrorResult union) narrowed to the member expected, or an error naming what came instead. */
export function expectMember<T extends { __typename: string }, K extends T['__typename']>(
  value: T,
  typename: K,
): Extract<T, { __typename: K }> {
  if (value.__typename !== typename) {
    const message = 'message' in value ? `: ${String(value.message)}` : '';
    throw new Error(`${typename} expected, got ${value.__typename}${message}`);
  }
  return value as Extract<T, { __typename: K }>;
}
