import { forbidden, unauthenticated } from './errors';
import type { Logger } from './logger';

/** Roles of signed-in people. Machine clients authenticate with API keys and carry scopes instead. */
export enum Role {
  ADMIN = 'ADMIN',
  BRAND = 'BRAND',
  AGENCY = 'AGENCY',
  INFLUENCER = 'INFLUENCER',
}

/** What an API key may do. INGEST is for connectors (issued by an admin); the rest are organisation keys. */
export enum ApiKeyScope {
  INGEST = 'INGEST',
  SEARCH = 'SEARCH',
  CAMPAIGNS = 'CAMPAIGNS',
  REDEEM = 'REDEEM',
}

export type Principal =
  { kind: 'user'; userId: string; role: Role } | { kind: 'apiKey'; keyId: string; organizationId: string | null; scopes: ApiKeyScope[] };

/** Per-request state handed to every resolver. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  principal: Principal | null;
}

/** The signed-in user's id, or null for anonymous callers and API keys. */
export function userIdOf(ctx: RequestContext): string | null {
  return ctx.principal?.kind === 'user' ? ctx.principal.userId : null;
}

/** The role string `@Authorized(...)` uses for API keys carrying a scope. */
export function scope(s: ApiKeyScope): string {
  return `scope:${s}`;
}

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The signed-in person behind a request; API keys and anonymous callers are refused. */
export function requireUser(ctx: RequestContext): UserPrincipal {
  if (!ctx.principal) throw unauthenticated();
  if (ctx.principal.kind !== 'user') throw forbidden('This needs a signed-in person, not an API key');
  return ctx.principal;
}

export function requirePrincipal(ctx: RequestContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}
