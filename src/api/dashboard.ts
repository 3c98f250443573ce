import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type RequestHandler, type Response } from 'express';
import { Role } from '../core/context';
import type { Env } from '../core/env';
import type { Logger } from '../core/logger';
import { QUEUE_NAMES, type Queues } from '../core/queues';
import type { RateLimiter, RateLimitHit } from '../core/rate-limit';
import { TtlCache } from '../core/ttl-cache';
import { AuthPayload } from '../modules/accounts/accounts.types';
import type { Services } from '../modules/services';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * How long a verified `Basic` header is trusted. A browser resends it with every request (the page,
 * its assets, a poll every few seconds), and each check is a scrypt: without this the dashboard
 * alone would keep a core busy.
 */
export const DASHBOARD_AUTH_TTL_MS = 60_000;
/**
 * Password checks (cache misses) per minute and process, whoever asks: a bound on the CPU a guesser
 * can burn even while Redis (and with it the per-email and per-address limits) is away.
 */
export const DASHBOARD_CHECKS_PER_MINUTE = 30;

// One realm for every page operators sign in to (the queue dashboard, the GraphQL IDE in production).
const REALM = 'Basic realm="Perks operators", charset="UTF-8"';

function refuse(res: Response, status: 401 | 403 | 429, challenge: boolean, retryAfterSeconds = 60): void {
  if (challenge) res.setHeader('www-authenticate', REALM);
  if (status === 429) res.setHeader('retry-after', String(retryAfterSeconds));
  res
    .status(status)
    .type('text/plain')
    .send(status === 401 ? 'Unauthorized\n' : status === 403 ? 'Forbidden\n' : 'Too many attempts\n');
}

export interface OperatorAuthDeps {
  env: Env;
  log: Logger;
  /** The API's limiter, connected at boot; operator sign-ins count against logIn's own limits. */
  limiter: RateLimiter;
  services: Services;
}

export interface DashboardDeps {
  queues: Queues;
  /** adminOnly's handler, one per process: the dashboard and the GraphQL IDE share its cache and budget. */
  operatorsOnly: RequestHandler;
}

/**
 * Operators only. A browser signs in with HTTP Basic (the admin's email and password, checked by
 * the same log-in as the API's, in constant time whether the email exists or not, and counted
 * against logIn's own per-email and per-address rate limits); scripts may send an admin's
 * `Bearer` token instead. Every failed Basic check gets the same 401, so the dashboard tells a
 * guesser nothing logIn would not; a valid token of someone who is not an operator gets 403.
 */
export function adminOnly({ env, log, limiter, services }: OperatorAuthDeps): RequestHandler {
  const verified = new TtlCache<string, Promise<boolean | number>>(DASHBOARD_AUTH_TTL_MS, 64);
  let windowStart = 0;
  let checksInWindow = 0;
  const hit = (rule: string, subject: string | undefined, limit: RateLimitHit['limit'] | null): RateLimitHit[] =>
    subject && limit ? [{ rule, subject, limit }] : [];

  /** True for an operator, false for anyone else, or the seconds to wait when rate-limited. */
  const checkBasic = async (encoded: string, ip: string | undefined): Promise<boolean | number> => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return false;
    const email = decoded.slice(0, colon).trim().toLowerCase();
    const password = decoded.slice(colon + 1);
    if (email.length > 254 || password.length > 200) return false;
    // The same counters as the logIn mutation's (src/api/limits.ts): the dashboard is no side door.
    const decision = await limiter.hit([
      ...hit('login-email', email, env.RATE_LIMIT_LOGIN_EMAIL),
      ...hit('login-ip', ip, env.RATE_LIMIT_LOGIN_IP),
    ]);
    if (!decision.allowed) return decision.retryAfterSeconds;
    const result = await services.accounts.logIn({ email, password });
    if (!(result instanceof AuthPayload)) return false;
    if (env.RATE_LIMIT_LOGIN_EMAIL) await limiter.reset({ rule: 'login-email', subject: email });
    return result.user.role === Role.ADMIN;
  };

  const handler: RequestHandler = async (req, res, next) => {
    const header = req.header('authorization')?.trim() ?? '';
    const [scheme, credentials] = header.split(/\s+/, 2);
    try {
      if (/^bearer$/i.test(scheme ?? '') && credentials) {
        const principal = await services.accounts.authenticate({ bearer: credentials });
        if (principal === 'expired' || principal === 'invalid' || principal === null) return refuse(res, 401, true);
        if (principal.kind !== 'user' || principal.role !== Role.ADMIN) return refuse(res, 403, false);
        return next();
      }
      if (!/^basic$/i.test(scheme ?? '') || !credentials) return refuse(res, 401, true);

      // The digest, not the password, is what stays in memory as the cache key.
      const key = createHash('sha256').update(header).digest('base64');
      let check = verified.get(key);
      if (!check) {
        const now = Date.now();
        if (now - windowStart >= 60_000) {
          windowStart = now;
          checksInWindow = 0;
        }
        if (++checksInWindow > DASHBOARD_CHECKS_PER_MINUTE) {
          if (checksInWindow === DASHBOARD_CHECKS_PER_MINUTE + 1) log.warn('queue dashboard: too many password checks this minute');
          return refuse(res, 429, false, Math.ceil((windowStart + 60_000 - now) / 1000));
        }
        // Cached while in flight too: the page's parallel requests share one scrypt.
        const ip = req.ip ?? req.socket.remoteAddress;
        check = verified.getOrLoad(key, () => checkBasic(credentials, ip));
      }
      const outcome = await check;
      if (outcome === true) return next();
      verified.delete(key);
      return typeof outcome === 'number' ? refuse(res, 429, false, outcome) : refuse(res, 401, true);
    } catch (error) {
      verified.delete(createHash('sha256').update(header).digest('base64'));
      return next(error);
    }
  };
  return handler;
}

/**
 * A browser sends Basic credentials along with cross-site requests too: a request that changes
 * something (retry, clean, pause ...) must come from the dashboard's own origin.
 */
const sameOriginWrites: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const origin = req.header('origin');
  const fetchSite = req.header('sec-fetch-site');
  let crossSite = fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
  if (origin !== undefined) {
    try {
      crossSite ||= new URL(origin).host !== req.header('host');
    } catch {
      crossSite = true;
    }
  }
  if (crossSite) return refuse(res, 403, false);
  next();
};

/** bull-board on every queue at /admin/queues, behind adminOnly. */
export function queueDashboard({ queues, operatorsOnly }: DashboardDeps): express.Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queues[name])),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Perks queues' } },
  });
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cache-control', 'no-store');
    next();
  });
  router.use(operatorsOnly, sameOriginWrites, adapter.getRouter());
  return router;
}
