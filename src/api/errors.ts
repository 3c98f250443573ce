import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { PUBLIC_ERROR_CODES } from '../core/errors';
import type { ApiContext } from './context';

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/** class-validator's errors reduced to what a client can act on: the field path and the messages. */
function fieldErrors(failures: ValidationFailure[], parent = ''): Array<{ field: string; messages: string[] }> {
  return failures.flatMap((f) => {
    const field = parent ? `${parent}.${f.property}` : f.property;
    const own = f.constraints ? [{ field, messages: Object.values(f.constraints) }] : [];
    return [...own, ...fieldErrors(f.children ?? [], field)];
  });
}

function isPublic(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && PUBLIC_ERROR_CODES.has(String(error.extensions?.code));
}

/**
 * An error Apollo raised about the request itself, without a code (an unsupported persisted query
 * version, say): raised by the server, not thrown by our code, and answered with a 4xx status. Its
 * message is about the request, so it is shown, as a BAD_REQUEST.
 */
function isRequestError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError) || error.originalError || error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Errors a client may see keep their message and code; everything else (database, ORM, bugs)
 * becomes a bare INTERNAL_SERVER_ERROR. Stack traces never leave the process.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Parse and validation errors arrive as GraphQLErrors themselves; resolver errors are unwrapped.
  const original = unwrapResolverError(error);
  if (!isPublic(original)) {
    if (isRequestError(original)) return { message: original.message, extensions: { code: 'BAD_REQUEST' } };
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const extensions: Record<string, unknown> = { code: original.extensions.code };
  const validationErrors = original.extensions.validationErrors;
  if (Array.isArray(validationErrors)) {
    const fields = fieldErrors(validationErrors as ValidationFailure[]);
    extensions.fields = fields;
    return {
      message: `Invalid input: ${fields.map((f) => f.messages.join('; ')).join('; ')}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions,
    };
  }
  const field = original.extensions.field;
  if (typeof field === 'string') extensions.field = field;
  const fields = original.extensions.fields;
  if (Array.isArray(fields)) extensions.fields = fields;
  const retryAfterSeconds = original.extensions.retryAfterSeconds;
  if (typeof retryAfterSeconds === 'number') extensions.retryAfterSeconds = retryAfterSeconds;
  return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
}

/**
 * Hands the operation name to the request log line, and logs every unexpected error with its
 * request id and stack: the client only sees the masked one.
 */
export function operationLoggingPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, operation }) {
          if (operationName) contextValue.res.locals.operationName = operationName;
          // Over HTTP a subscription would answer once and end: it is served over WebSocket only (subscriptions.ts).
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isPublic(original)) continue;
            contextValue?.log?.error({ err: original, operationName, path: error.path }, 'unexpected error');
          }
        },
      };
    },
  };
}
