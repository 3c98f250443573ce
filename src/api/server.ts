import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Env } from '../core/env';
import { checkDependencies } from '../core/health';
import type { Logger } from '../core/logger';
import { closeQueues, createQueues, type Queues } from '../core/queues';
import { RateLimiter } from '../core/rate-limit';
import { UNSUBSCRIBE_PATH } from '../modules/notifications/email.service';
import type { Services } from '../modules/services';
import { buildContext, requestIdOf, type ApiContext } from './context';
import { adminOnly, DASHBOARD_PATH, queueDashboard } from './dashboard';
import { formatError, operationLoggingPlugin } from './errors';
import { CLAIMS_CSV_PATH, claimsCsvExport } from './exports';
import { graphqlIde } from './ide';
import { loadIdeAssets } from './ide-assets';
import { inputBoundaryPlugin } from './input-boundary';
import { createLimits } from './limits';
import { createApiMetrics, graphqlMetricsPlugin, httpObserver, metricsEndpoint } from './metrics';
import { LiveFeed } from './live-feed';
import { buildApiSchema } from './schema';
import { createSubscriptionServer } from './subscriptions';
import { unsubscribeRouter } from './unsubscribe';

export interface ApiDeps {
  env: Env;
  log: Logger;
  dataSource: DataSource;
  redis: Redis;
  services: Services;
  /** For the queue dashboard and queue-depth metrics; the server makes its own when absent. */
  queues?: Queues;
}

export interface ApiServer {
  httpServer: http.Server;
  /** Listens on the port (0 picks a free one) and resolves with the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops taking requests, lets those in flight finish, then returns; closing pools is the caller's. */
  stop(): Promise<void>;
}

/**
 * Request id, response header, and once the response is sent one log line (operation name,
 * status, duration) and one observation of the HTTP histogram: one shared finish listener, no
 * closure per request.
 */
function requestLogging(log: Logger, observe: ReturnType<typeof httpObserver>): RequestHandler {
  function finished(this: Response): void {
    const req = this.req;
    const durationMs = performance.now() - (this.locals.startedAt as number);
    observe(req.method, req.originalUrl, this.statusCode, durationMs / 1000);
    log.info(
      {
        requestId: this.locals.requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        operationName: this.locals.operationName,
        status: this.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      },
      'request',
    );
  }
  return (req, res, next) => {
    res.locals.startedAt = performance.now();
    const requestId = requestIdOf(req);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.on('finish', finished);
    next();
  };
}

/** Body-parser and routing failures answered in GraphQL's error shape, never with a stack. */
function httpErrors(log: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status: number = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const [code, message] =
      status === 413
        ? ['PAYLOAD_TOO_LARGE', 'The request body is too large']
        : status === 400
          ? ['BAD_REQUEST', 'The request body is not valid JSON']
          : status < 500
            ? ['BAD_REQUEST', 'The request could not be read']
            : ['INTERNAL_SERVER_ERROR', 'Internal server error'];
    if (status >= 500) log.error({ err: error, requestId: res.locals.requestId }, 'unexpected HTTP error');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

export async function createApiServer(deps: ApiDeps): Promise<ApiServer> {
  const { env, log, dataSource, redis, services } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Every answer is a POST's: an ETag (a hash of each body) would never be used.
  app.set('etag', false);
  app.set('trust proxy', false);
  const httpServer = http.createServer(app);
  let draining = false;
  const ownQueues = deps.queues ? undefined : createQueues(redis, env.BULLMQ_PREFIX);
  const queues = deps.queues ?? ownQueues!;
  const metrics = createApiMetrics({ dataSource, queues });

  // One limiter (one Redis connection) for logIn, claims, ingestion and the dashboard's sign-in,
  // connected before the server takes its first request: a call made while it still connects
  // would be let through uncounted.
  const limiter = new RateLimiter(redis, env.BULLMQ_PREFIX, log);
  await limiter.ready();
  const limits = createLimits(env, limiter);
  // Read at boot: a compiled API whose build lacks them fails here, not on an operator's first visit.
  const ide = loadIdeAssets();
  log.debug({ from: ide.from }, 'GraphQL IDE files loaded');
  // Subscribed before the first request: a notification published after boot reaches this process's subscribers.
  const feed = new LiveFeed(redis, env.BULLMQ_PREFIX, log);
  await feed.start();
  const schema = await buildApiSchema(services, feed);
  // Subscriptions over WebSocket on the same server and path (graphql-ws): see subscriptions.ts.
  const subscriptions = createSubscriptionServer(httpServer, { env, log, services, dataSource, schema, limits, metrics, feed });
  const apollo = new ApolloServer<ApiContext>({
    schema,
    ...limits.apolloOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (core/lifecycle): Apollo's own signal handlers would race it and re-kill the process.
    stopOnTerminationSignals: false,
    // No cache hints are used: without the cache-control plugin Apollo does not wrap every field's resolver.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's default landing page loads Sandbox from a CDN (and links to Studio in production):
      // GET /graphql is our own GraphiQL instead (ide.ts), served before Apollo sees the request.
      ApolloServerPluginLandingPageDisabled(),
      operationLoggingPlugin(),
      inputBoundaryPlugin(),
      graphqlMetricsPlugin(metrics),
      ...limits.plugins,
    ],
  });
  await apollo.start();

  app.use(requestLogging(log, httpObserver(metrics)));
  // GraphQL's POSTs, nearly every request, are routed first: each route passed on the way costs a
  // path match. GET /graphql (the IDE, or a query sent as GET) is routed below, after the IDE.
  const graphql = [
    express.json({ limit: env.BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => buildContext(req, res, log, services, dataSource, limits.rateLimitsFor(req)),
    }),
  ];
  app.post('/graphql', graphql);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const dependencies = await checkDependencies(dataSource, redis);
    const ready = !draining && dependencies.postgres && dependencies.redis;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : draining ? 'draining' : 'unavailable', ...dependencies });
  });
  const scrape = metricsEndpoint(metrics, env, log);
  if (scrape) app.get('/metrics', scrape);
  // One operator sign-in (HTTP Basic or an admin's token) for every operators' page.
  const operatorsOnly = adminOnly({ env, log, limiter, services });
  app.use(DASHBOARD_PATH, queueDashboard({ queues, operatorsOnly }));
  app.use(
    graphqlIde({
      assets: ide.assets,
      introspection: limits.apolloOptions.introspection,
      operatorsOnly: env.NODE_ENV === 'production' ? operatorsOnly : undefined,
    }),
  );
  app.use('/graphql', graphql);
  // Authenticated like /graphql (the same code), streamed: see exports.ts.
  app.get(CLAIMS_CSV_PATH, claimsCsvExport(services, log));
  // The one-click unsubscribe link of the offer mails: small HTML pages, see unsubscribe.ts.
  app.use(UNSUBSCRIBE_PATH, unsubscribeRouter(services, log));
  app.use(httpErrors(log));

  return {
    httpServer,
    listen(port, host = env.HOST) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const { port: bound } = httpServer.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`);
        });
      });
    },
    async stop() {
      draining = true;
      // WebSockets first (1001, going away): the HTTP server's close would otherwise wait on them.
      await subscriptions.close();
      // The drain plugin closes the listener and waits for requests in flight.
      await apollo.stop();
      await feed.close();
      limiter.close();
      if (ownQueues) await closeQueues(ownQueues);
    },
  };
}
