import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { Gauge } from 'prom-client';
import { WebSocketServer } from 'ws';
import type { DataSource } from 'typeorm';
import type { Principal } from '../core/context';
import type { Env } from '../core/env';
import { invalidFields } from '../core/errors';
import type { Logger } from '../core/logger';
import { createLoaders, type ModuleContext } from '../modules/loaders';
import type { Services } from '../modules/services';
import { authenticateCredentials } from './context';
import { formatError } from './errors';
import { inputTextProblems } from './input-boundary';
import type { ApiLimits } from './limits';
import type { LiveFeed } from './live-feed';
import type { ApiMetrics } from './metrics';

export const SUBSCRIPTIONS_PATH = '/graphql';

// graphql-ws's server pings every this long and drops a socket whose pong does not come back in as long.
const KEEP_ALIVE_MS = 12_000;
const CONNECTION_INIT_WAIT_MS = 5_000;
/** A subscribe message is one small document; ws's default (100 MiB) would let one socket pin that much memory. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** One subscription field exists; a few per socket covers any client, thousands would only cost memory. */
const MAX_SUBSCRIPTIONS_PER_SOCKET = 10;
/** setTimeout's longest delay (about 24.8 days); a token living longer closes its socket then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
// A close reason is at most 123 bytes (RFC 6455); ours say what to do.
const NO_CREDENTIALS = 'Unauthorized: send connectionParams { authorization: "Bearer <token>" }';

interface Connection {
  principal: Principal;
  /** The key the per-principal limit counts under. */
  holder: string;
  expiry?: NodeJS.Timeout;
}
type LiveExtra = Extra & { connection?: Connection };
type LiveContext = WsContext<Record<string, unknown> | undefined, LiveExtra>;

export interface SubscriptionDeps {
  env: Env;
  log: Logger;
  services: Services;
  dataSource: DataSource;
  schema: GraphQLSchema;
  limits: ApiLimits;
  metrics: ApiMetrics;
  feed: LiveFeed;
}

export interface SubscriptionServer {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
}

function refusal(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Parse and validation errors carry a code over HTTP (Apollo adds it); here they are given the same one. */
function coded(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });
}

/** When a bearer token lapses (its `exp`), read without verifying: authenticateCredentials verified it already. */
function tokenExpiry(authorization: string | undefined): number | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  try {
    const exp = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8'))?.exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function credentialOf(params: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = params?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws's protocol) on /graphql, beside HTTP on the same
 * server. Only subscriptions are served here: queries and mutations stay on HTTP, where the rate
 * limits, request logs and metrics are.
 *
 * - Authentication at connection_init with the same credentials as HTTP, read by the same code
 *   (`connectionParams.authorization` = "Bearer <token>", or `connectionParams.apiKey`). No or bad
 *   credentials close the socket with 4401 and the reason; the socket closes with 4401 too when
 *   its token expires. The role is checked per field, as over HTTP (FORBIDDEN).
 * - The query limits of HTTP apply to every subscribe message: tokens (parse), depth, aliases and
 *   directives (graphql-armor's rules), cost, the input boundary, and argument coercion.
 * - Limits per process: WS_MAX_CONNECTIONS sockets (an upgrade past it gets a 503), and
 *   WS_MAX_CONNECTIONS_PER_USER per principal (closed with 1008); 10 subscriptions per socket.
 */
export function createSubscriptionServer(httpServer: http.Server, deps: SubscriptionDeps): SubscriptionServer {
  const { env, log, services, dataSource, schema, limits, feed } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const perHolder = new Map<string, number>();
  let closing = false;

  new Gauge({
    name: 'perks_graphql_ws_connections',
    help: 'Open WebSockets on /graphql (graphql-ws), acknowledged or not',
    registers: [deps.metrics.registry],
    collect() {
      this.set(wss.clients.size);
    },
  });
  new Gauge({
    name: 'perks_graphql_subscriptions',
    help: 'Subscriptions listening to the live feed in this process',
    registers: [deps.metrics.registry],
    collect() {
      this.set(feed.subscribers);
    },
  });

  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    if ((req.url ?? '').split('?')[0] !== SUBSCRIPTIONS_PATH) return refuse('404 Not Found');
    if (closing || wss.clients.size >= env.WS_MAX_CONNECTIONS) return refuse('503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const release = (connection: Connection | undefined) => {
    if (!connection) return;
    clearTimeout(connection.expiry);
    const left = (perHolder.get(connection.holder) ?? 1) - 1;
    if (left > 0) perHolder.set(connection.holder, left);
    else perHolder.delete(connection.holder);
  };

  const format = (error: GraphQLError, operationName?: string | null): GraphQLFormattedError => {
    // An error thrown by the source stream reaches graphql-ws wrapped in a GraphQLError of its own, code and all lost.
    const original = error.originalError instanceof GraphQLError && !error.path ? error.originalError : error;
    const formatted = formatError(original.toJSON(), original);
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR')
      log.error({ err: error.originalError ?? error, operationName }, 'unexpected error');
    return formatted;
  };

  /** The execution arguments of a subscribe message, or the errors refusing it (nothing has run). */
  const prepare = (ctx: LiveContext, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] => {
    const connection = ctx.extra.connection!;
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return [refusal('Too many subscriptions on this connection: complete some first', 'BAD_REQUEST')];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query, limits.apolloOptions.parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      limits.reword(error);
      return [coded(error, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, [...specifiedRules, ...limits.apolloOptions.validationRules]);
    if (invalid.length) {
      for (const error of invalid) limits.reword(error);
      return invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
    }
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [refusal('Name the operation to run in operationName', 'OPERATION_RESOLUTION_FAILURE')];
    if (operation.operation !== 'subscription') {
      return [refusal('Only subscriptions are served over WebSocket: send queries and mutations over HTTP (POST /graphql)', 'BAD_REQUEST')];
    }
    const variables = payload.variables ?? {};
    const costly = limits.costRefusal(schema, document, operation, variables);
    if (costly) return [costly];
    const problems = inputTextProblems(schema, document, operation, variables);
    if (problems.length) return [invalidFields(problems)];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 20 });
    if (coerced.errors) return coerced.errors.map((e) => coded(e, 'BAD_USER_INPUT'));

    const requestId = randomUUID();
    // Loaders are per operation, as per HTTP request; Notification has no field that reads through them.
    const contextValue: ModuleContext = {
      requestId,
      log: log.child({ requestId }),
      principal: connection.principal,
      loaders: createLoaders(dataSource, services.scoring.currentRuns),
    };
    log.info({ requestId, operationName: payload.operationName ?? operation.name?.value ?? null }, 'subscription');
    return { schema, document, operationName: payload.operationName, variableValues: variables, contextValue };
  };

  const server = useServer<Record<string, unknown> | undefined, { connection?: Connection }>(
    {
      schema,
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const authorization = credentialOf(ctx.connectionParams, 'authorization');
        const apiKey = credentialOf(ctx.connectionParams, 'apiKey');
        if (authorization !== undefined && apiKey !== undefined) {
          socket.close(4401, 'Unauthorized: send either authorization or apiKey, not both');
          return false;
        }
        let principal: Principal | null;
        try {
          principal = await authenticateCredentials({ authorization, apiKey }, services);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          socket.close(4401, `Unauthorized: ${error.message}`.slice(0, 123));
          return false;
        }
        if (!principal) {
          socket.close(4401, NO_CREDENTIALS);
          return false;
        }
        // Gone while its credentials were checked: onClose has run already, nothing must be counted.
        if (socket.readyState !== socket.OPEN) return false;
        const holder = principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.keyId}`;
        if ((perHolder.get(holder) ?? 0) >= env.WS_MAX_CONNECTIONS_PER_USER) {
          socket.close(1008, 'Too many open connections for this account: close some first');
          return false;
        }
        perHolder.set(holder, (perHolder.get(holder) ?? 0) + 1);
        const connection: Connection = { principal, holder };
        const expiresAt = tokenExpiry(authorization);
        // A socket outliving its token would keep a signed-out (or demoted) person listening.
        if (expiresAt !== null) {
          const inMs = Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS);
          connection.expiry = setTimeout(() => socket.close(4401, 'Unauthorized: your token has expired: log in again'), inMs);
          connection.expiry.unref();
        }
        ctx.extra.connection = connection;
        return true;
      },
      onClose(ctx) {
        release(ctx.extra.connection);
        ctx.extra.connection = undefined;
      },
      onSubscribe: (ctx, _id, payload) => prepare(ctx, payload),
      onNext: (_ctx, _id, payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => format(e, payload.operationName)) } : undefined,
      onError: (_ctx, _id, payload, errors) => errors.map((e) => format(e, payload.operationName)),
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    async close() {
      closing = true;
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      // Clients answer the close frame at once; one that does not is cut off rather than holding the shutdown.
      const deadline = Date.now() + 3_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const socket of wss.clients) socket.terminate();
      await server.dispose();
    },
  };
}
