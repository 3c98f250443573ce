import { createMethodMiddlewareDecorator } from 'type-graphql';
import type { RequestContext } from './context';

/** The per-caller limits a resolver can name; what each one counts is api/limits.ts's. */
export enum RateLimitPolicy {
  /** Per email (a successful log-in clears it) and per client address. */
  LOG_IN = 'LOG_IN',
  /** Per principal. */
  CLAIM = 'CLAIM',
  /** Per principal (a connector's API key). */
  INGEST = 'INGEST',
}

/** Counts one call against a policy: throws RATE_LIMITED (HTTP 429) when a limit is over, else runs it. */
export interface RateLimitGate {
  limit(policy: RateLimitPolicy, args: Record<string, unknown>, ctx: RequestContext, run: () => Promise<unknown>): Promise<unknown>;
}

/** HTTP requests carry the gate (api/context.ts); subscriptions never run a mutation, so theirs has none. */
export type RateLimitedContext = RequestContext & { rateLimits?: RateLimitGate };

/**
 * A per-caller rate limit on an operation, named on its resolver: `@RateLimited(RateLimitPolicy.CLAIM)`.
 * It runs after `@Authorized` (type-graphql checks roles first) and before arguments are validated.
 */
export function RateLimited(policy: RateLimitPolicy): MethodDecorator {
  return createMethodMiddlewareDecorator<RateLimitedContext>(({ args, context }, next) => {
    // Never let the call through uncounted: a context without the gate is a wiring bug.
    if (!context.rateLimits) throw new Error(`@RateLimited(${policy}) ran without a rate-limit gate in its context`);
    return context.rateLimits.limit(policy, args, context, next);
  });
}
