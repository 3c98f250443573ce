import type { AuthCheckerFn } from 'type-graphql';
import { scope, type RequestContext } from '../core/context';
import { forbidden, unauthenticated } from '../core/errors';

/**
 * `@Authorized()` admits any authenticated caller; `@Authorized(Role.BRAND, scope(ApiKeyScope.SEARCH))`
 * admits people with one of the roles and API keys with one of the scopes. Ownership of the objects
 * touched is checked in the services.
 */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context }, roles) => {
  const principal = context.principal;
  if (!principal) throw unauthenticated();
  if (roles.length === 0) return true;
  const admitted = principal.kind === 'user' ? roles.includes(principal.role) : principal.scopes.some((s) => roles.includes(scope(s)));
  if (!admitted) throw forbidden();
  return true;
};
