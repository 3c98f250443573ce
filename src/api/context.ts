import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Principal } from '../core/context';
import type { Logger } from '../core/logger';
import type { RateLimitGate } from '../core/rate-limited';
import { createLoaders, type ModuleContext } from '../modules/loaders';
import type { Services } from '../modules/services';
import type { DataSource } from 'typeorm';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The caller's X-Request-Id when it is sane, else a new one; echoed back in the response. */
export function requestIdOf(req: Request): string {
  const given = req.header('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The GraphQL context: what resolvers see, the gate of their @RateLimited policies, and the HTTP response for the API's own plugins. */
export type ApiContext = ModuleContext & { res: Response; rateLimits: RateLimitGate };

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * The principal behind a request's credentials (null: none sent), for /graphql and every other
 * authenticated route alike. Credentials that are present but wrong are refused outright (a
 * GraphQLError with `http.status` 401), rather than quietly treated as anonymous, so a client
 * learns its token expired.
 */
export function authenticateRequest(req: Request, services: Services): Promise<Principal | null> {
  return authenticateCredentials({ authorization: req.header('authorization'), apiKey: req.header('x-api-key') }, services);
}

/**
 * The same for credentials sent otherwise (a WebSocket's connection_init payload): `authorization`
 * as "Bearer <token>", or an API key, never both.
 */
export async function authenticateCredentials(
  { authorization, apiKey }: { authorization?: string; apiKey?: string },
  services: Services,
): Promise<Principal | null> {
  if (authorization !== undefined && apiKey !== undefined) {
    throw new GraphQLError('Send either Authorization or X-Api-Key, not both', {
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
  }
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    bearer = match[1];
  }
  const result = await services.accounts.authenticate({ bearer, apiKey: apiKey?.trim() });
  if (result === 'expired') throw unauthenticated('Your token has expired: log in again');
  if (result === 'invalid')
    throw unauthenticated(bearer !== undefined ? 'The token is not valid: log in again' : 'The API key is not valid or was revoked');
  return result;
}

/** Builds the per-request context (refused before any resolver when the credentials are wrong). */
export async function buildContext(
  req: Request,
  res: Response,
  log: Logger,
  services: Services,
  dataSource: DataSource,
  rateLimits: RateLimitGate,
): Promise<ApiContext> {
  const requestId = String(res.locals.requestId ?? requestIdOf(req));
  const principal = await authenticateRequest(req, services);
  return {
    requestId,
    log: log.child({ requestId }),
    principal,
    res,
    rateLimits,
    loaders: createLoaders(dataSource, services.scoring.currentRuns),
  };
}
