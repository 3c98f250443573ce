import path from 'node:path';
import type * as OtelApi from '@opentelemetry/api';
import type { JobsOptions } from 'bullmq';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 * main.ts and worker.ts import this module before anything else: the instrumentations patch http,
 * express, graphql, pg and ioredis as those are required, so they must be registered first. Off,
 * this module requires nothing: the SDK, the instrumentations and even @opentelemetry/api are
 * required only inside startTracing, and every helper below returns at its first line.
 *
 * Spans: the HTTP server span of each request (/healthz, /readyz and /metrics left out), Express's
 * middleware and handlers, GraphQL parse / validate / execute and the resolvers of the first two
 * levels, each pg query (its SQL text, never its parameters), each ioredis command (its name only)
 * and, for BullMQ, an "enqueue <job>" producer span in the enqueuing process and a "process <job>"
 * consumer span in the worker, its child: a job enqueued by a request shows in that request's trace.
 */

type Api = typeof OtelApi;

let api: Api | undefined;
let sdk: { shutdown(): Promise<void> } | undefined;

// The entry point names the service unless OTEL_SERVICE_NAME does (main.ts -> perks-api).
const SERVICE_NAMES: Record<string, string> = { main: 'perks-api', worker: 'perks-worker' };

// Requests that are not work: probes and scrapes would fill the traces with noise.
const UNTRACED_PATHS = ['/healthz', '/readyz', '/metrics'];

// A GraphQL GET carries its document and variables (personal data, tokens) in the query string:
// their values stay out of url.query, with the instrumentation's own defaults (signed-URL keys).
const REDACTED_QUERY_PARAMS = ['query', 'variables', 'extensions', 'token', 'key', 'code'];
const SIGNED_URL_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

export function tracingEnabled(): boolean {
  return api !== undefined;
}

/** Starts the SDK (once). Called by this module's own import when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export function startTracing(serviceName: string): void {
  if (api) return;
  process.env.OTEL_SERVICE_NAME ||= serviceName;
  // Traces only: metrics are Prometheus's (/metrics) and logs go to stdout; the SDK would otherwise
  // push both over OTLP too.
  process.env.OTEL_METRICS_EXPORTER ||= 'none';
  process.env.OTEL_LOGS_EXPORTER ||= 'none';
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { GraphQLInstrumentation } =
    require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const node = new NodeSDK({
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.some((p) => req.url === p || req.url?.startsWith(`${p}?`)),
        redactedQueryParamsServer: [...REDACTED_QUERY_PARAMS, ...SIGNED_URL_PARAMS],
        redactedQueryParams: [...REDACTED_QUERY_PARAMS, ...SIGNED_URL_PARAMS],
      }),
      new ExpressInstrumentation(),
      // Values in documents stay out (allowValues false); trivial field reads make no spans.
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, depth: 2 }),
      // Without a parent (pool housekeeping, the notification relay's polls) a query starts no trace.
      new PgInstrumentation({
        requireParentSpan: true,
        requestHook: (span, { query }) => {
          if (/\bEXECUTE\b/i.test(query.text)) span.setAttribute('db.query.text', withoutExecuteValues(query.text));
        },
      }),
      // The command's name only: arguments may hold personal data or tokens; the worker's blocking
      // polls have no parent span and make none.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  node.start();
  sdk = node;
  api = require('@opentelemetry/api') as Api; // eslint-disable-line @typescript-eslint/no-require-imports
}

/**
 * EXECUTE carries its values inlined as literals (PreparedSql in core/database): a claim's
 * redemption code among them. The statement's name stays, the values go.
 */
export function withoutExecuteValues(sql: string): string {
  return sql.replace(/\bEXECUTE\s+(\w+)\s*\((?:[^()']|'(?:[^']|'')*')*\)/gi, 'EXECUTE $1(...)');
}

/** Exports the spans still buffered and stops the SDK; nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

/** trace_id and span_id of the active span, for log lines; undefined when off or outside a span. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = api?.trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * Runs `add` inside an "enqueue <name>" producer span and hands it the options with the span's W3C
 * trace context in `telemetry.metadata` (BullMQ stores that field with the job; the job outbox
 * saves the options with it), so the consumer span in the worker becomes its child.
 */
export async function tracedEnqueue<T>(
  queue: string,
  name: string,
  options: JobsOptions | undefined,
  add: (options: JobsOptions | undefined) => Promise<T>,
): Promise<T> {
  const otel = api;
  if (!otel) return add(options);
  const tracer = otel.trace.getTracer('perks');
  return tracer.startActiveSpan(
    `enqueue ${name}`,
    { kind: otel.SpanKind.PRODUCER, attributes: messaging(queue, name, 'send') },
    async (span) => {
      const carrier: Record<string, string> = {};
      otel.propagation.inject(otel.context.active(), carrier);
      try {
        return await add({ ...options, telemetry: { ...options?.telemetry, metadata: JSON.stringify(carrier) } });
      } catch (error) {
        failed(otel, span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Runs a job's handler inside a "process <name>" consumer span, the child of the enqueuing span
 * when the job carries its context (jobs from schedulers and recovery start their own trace).
 */
export async function tracedJob<T>(
  queue: string,
  name: string,
  jobId: string | undefined,
  metadata: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const otel = api;
  if (!otel) return run();
  let parent = otel.ROOT_CONTEXT;
  if (metadata) {
    try {
      parent = otel.propagation.extract(otel.ROOT_CONTEXT, JSON.parse(metadata) as Record<string, string>);
    } catch {
      // Not ours (a job added by another tool): a trace of its own.
    }
  }
  const attributes = { ...messaging(queue, name, 'process'), ...(jobId ? { 'messaging.message.id': jobId } : {}) };
  return otel.trace
    .getTracer('perks')
    .startActiveSpan(`process ${name}`, { kind: otel.SpanKind.CONSUMER, attributes }, parent, async (span) => {
      try {
        return await run();
      } catch (error) {
        failed(otel, span, error);
        throw error;
      } finally {
        span.end();
      }
    });
}

function messaging(queue: string, name: string, operation: 'send' | 'process') {
  return {
    'messaging.system': 'bullmq',
    'messaging.destination.name': queue,
    'messaging.operation.type': operation,
    'bullmq.job.name': name,
  };
}

function failed(otel: Api, span: OtelApi.Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: otel.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) {
  const entry = path.basename(process.argv[1] ?? '', path.extname(process.argv[1] ?? ''));
  startTracing(SERVICE_NAMES[entry] ?? 'perks');
}
