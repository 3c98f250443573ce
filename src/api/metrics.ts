import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { Counter, Histogram, type Registry } from 'prom-client';
import { PUBLIC_ERROR_CODES } from '../core/errors';
import type { Env } from '../core/env';
import type { Logger } from '../core/logger';
import { createMetricsRegistry, metricsResponder, type MetricsDeps } from '../core/metrics';
import type { ApiContext } from './context';

/**
 * The API's metrics. On the request path they cost two `performance.now()` calls and one histogram
 * observation per HTTP request and per GraphQL operation: no Redis, no database, no closures.
 * Queue depths and score runs are read when Prometheus scrapes (see core/metrics).
 */
export interface ApiMetrics {
  registry: Registry;
  http: Histogram<'method' | 'route' | 'status'>;
  operations: Histogram<'operation' | 'type'>;
  errors: Counter<'operation' | 'type' | 'code'>;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createApiMetrics(deps: MetricsDeps): ApiMetrics {
  const registry = createMetricsRegistry(deps);
  return {
    registry,
    http: new Histogram({
      name: 'perks_http_request_duration_seconds',
      help: 'HTTP requests by method, route (/graphql, /healthz, /readyz, /metrics, /admin/queues, other) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    operations: new Histogram({
      name: 'perks_graphql_operation_duration_seconds',
      help: 'GraphQL operations from parsing to the response, by operation name and type (query, mutation; "unknown" when it did not parse or validate)',
      labelNames: ['operation', 'type'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'perks_graphql_errors_total',
      help: 'Errors in GraphQL responses by operation name, type and code (INTERNAL_SERVER_ERROR for every masked error)',
      labelNames: ['operation', 'type', 'code'],
      registers: [registry],
    }),
  };
}

/** A bounded route label: a path a client invents must not become a new time series. */
function routeOf(url: string): string {
  if (url.startsWith('/graphql')) return '/graphql';
  if (url.startsWith('/admin/queues')) return '/admin/queues';
  if (url.startsWith('/healthz')) return '/healthz';
  if (url.startsWith('/readyz')) return '/readyz';
  if (url.startsWith('/metrics')) return '/metrics';
  if (url.startsWith('/exports/')) return '/exports';
  return 'other';
}

/**
 * Records one finished HTTP request (the request log's finish listener calls it: one listener per
 * request for both). The label sets are few (bounded routes, methods and statuses), so each one's
 * series is looked up once and kept, instead of prom-client hashing the labels on every observation.
 */
export function httpObserver(metrics: ApiMetrics): (method: string, url: string, status: number, seconds: number) => void {
  const seriesOf = seriesCache(metrics.http);
  return (method, url, status, seconds) => {
    const route = routeOf(url);
    seriesOf(`${method} ${route} ${status}`, { method, route, status }).observe(seconds);
  };
}

/** A histogram's series by a key naming its labels, each looked up once (the label sets must be bounded). */
function seriesCache<L extends string>(histogram: Histogram<L>) {
  const series = new Map<string, { observe(value: number): void }>();
  return (key: string, labels: Partial<Record<L, string | number>>) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = histogram.labels(labels)));
    return s;
  };
}

// Operation names come from clients: past this many distinct ones, new names count as "other".
const MAX_OPERATION_NAMES = 200;

/** Operation durations and errors. The listeners are one shared object, not one per request. */
export function graphqlMetricsPlugin(metrics: ApiMetrics): ApolloServerPlugin<ApiContext> {
  const names = new Set<string>();
  const seriesOf = seriesCache(metrics.operations);
  const operationOf = (ctx: GraphQLRequestContext<ApiContext>): string => {
    if (!ctx.operation) return 'unknown';
    const name = ctx.operationName;
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  const listeners: GraphQLRequestListener<ApiContext> = {
    async willSendResponse(ctx) {
      const started = ctx.contextValue.res.locals.graphqlStartedAt as number | undefined;
      if (started === undefined) return;
      const operation = operationOf(ctx);
      const type = ctx.operation?.operation ?? 'unknown';
      seriesOf(`${type} ${operation}`, { operation, type }).observe((performance.now() - started) / 1000);
    },
    async didEncounterErrors(ctx) {
      const operation = operationOf(ctx);
      const type = ctx.operation?.operation ?? 'unknown';
      for (const error of ctx.errors) {
        const original = unwrapResolverError(error);
        const code =
          original instanceof GraphQLError && PUBLIC_ERROR_CODES.has(String(original.extensions?.code))
            ? String(original.extensions.code)
            : 'INTERNAL_SERVER_ERROR';
        metrics.errors.inc({ operation, type, code });
      }
    },
  };
  return {
    async requestDidStart(ctx) {
      ctx.contextValue.res.locals.graphqlStartedAt = performance.now();
      return listeners;
    },
  };
}

/**
 * GET /metrics on the API. With METRICS_TOKEN set it needs that bearer token; without one it is
 * open outside production and absent (404) in production, where the API faces the internet:
 * scrape the worker's port, or set METRICS_TOKEN.
 */
export function metricsEndpoint(metrics: ApiMetrics, env: Env, log: Logger): RequestHandler | undefined {
  if (env.METRICS_TOKEN === undefined && env.NODE_ENV === 'production') return undefined;
  const respond = metricsResponder(metrics.registry, env.METRICS_TOKEN, log);
  return (req, res) => respond(req, res);
}
