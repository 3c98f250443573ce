import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Request } from 'express';
import type { RequestContext } from '../core/context';
import type { Env, RateLimitSetting } from '../core/env';
import { rateLimited } from '../core/errors';
import type { RateLimiter, RateLimitHit } from '../core/rate-limit';
import { RateLimitPolicy, type RateLimitGate } from '../core/rate-limited';
import { AuthPayload } from '../modules/accounts/accounts.types';
import type { ApiContext } from './context';
import { operationCost } from './query-cost';

// Refusals say what to change, never the limit: a number invites probing just under it.
const TOO_DEEP = 'The query is nested too deeply: select less nested data or split it into several requests';
const TOO_MANY_ALIASES = 'The query uses too many aliases: split it into several requests';
const TOO_MANY_DIRECTIVES = 'The query uses too many directives';
const TOO_LONG = 'Syntax Error: The query is too long: split it into several requests';
const TOO_COSTLY = 'The query asks for too much at once: ask for smaller pages or fewer fields, or split it into several requests';

// graphql-js's own message ("more that 200 tokens", sic) when `parseOptions.maxTokens` is exceeded; it states the limit.
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] \d+ tokens/;
// "Did you mean ...?" in validation and in input coercion ("Did you mean the enum value "ADMIN"?").
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function validationFailure(message: string, status?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...(status ? { http: { status } } : {}) } });
}

/** Armor reports to the validation context (a 400), with our message instead of its own. */
function reject(message: string): { propagateOnRejection: false; onReject: GraphQLArmorRejectCallback[] } {
  return { propagateOnRejection: false, onReject: [(ctx) => ctx?.reportError(validationFailure(message))] };
}

export interface ApiLimits {
  /** Spread into ApolloServer's configuration. */
  apolloOptions: { introspection: boolean; validationRules: ValidationRule[]; parseOptions: ParseOptions };
  plugins: ApolloServerPlugin<ApiContext>[];
  /** The cost limit's refusal for an operation over it, else null (Apollo's plugin below; subscriptions.ts). */
  costRefusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): GraphQLError | null;
  /** Rewords a parse or validation error as the HTTP answers do: no limit stated, no suggestions in production. */
  reword(error: GraphQLError): void;
  /** One request's gate for the rate limits its resolvers name with @RateLimited (core/rate-limited.ts). */
  rateLimitsFor(req: Request): RateLimitGate;
}

/**
 * Limits on what one request may ask (depth, aliases, directives, tokens, cost) and on how often
 * a principal may call the mutations worth abusing (guessing passwords, hammering claims,
 * flooding ingestion). Introspection and "Did you mean" suggestions are off in production.
 */
export function createLimits(env: Env, limiter: RateLimiter): ApiLimits {
  const production = env.NODE_ENV === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: env.GRAPHQL_MAX_DEPTH, flattenFragments: true, exposeLimits: false, ...reject(TOO_DEEP) },
    maxAliases: { n: env.GRAPHQL_MAX_ALIASES, exposeLimits: false, ...reject(TOO_MANY_ALIASES) },
    maxDirectives: { n: env.GRAPHQL_MAX_DIRECTIVES, exposeLimits: false, ...reject(TOO_MANY_DIRECTIVES) },
    // Armor's token plugin throws from parsingDidStart, which Apollo 5 answers with a 500; graphql-js's
    // own maxTokens (parseOptions below) stops the lexer early and is answered with a 400.
    maxTokens: { enabled: false },
    // Armor's cost rule counts literal `first` only; ours (query-cost.ts) sees variables too.
    costLimit: { enabled: false },
    // Ours below also strips suggestions from input coercion errors, which armor's pattern misses.
    blockFieldSuggestion: { enabled: false },
  });
  const { validationRules } = armor.protect();

  const costRefusal: ApiLimits['costRefusal'] = (schema, document, operation, variables) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    return operationCost(schema, operation, fragments, variables) > env.GRAPHQL_MAX_COST ? validationFailure(TOO_COSTLY, 400) : null;
  };
  const reword = (error: GraphQLError) => {
    if (TOKEN_LIMIT_MESSAGE.test(error.message)) error.message = TOO_LONG;
    else if (production) error.message = error.message.replace(SUGGESTION, '');
  };

  const plugins: ApolloServerPlugin<ApiContext>[] = [
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ schema, document, operation, request }) {
            if (!operation) return;
            const refusal = costRefusal(schema, document, operation, request.variables ?? {});
            if (refusal) throw refusal;
          },
          async didEncounterErrors({ errors }) {
            for (const error of errors) reword(error);
          },
        };
      },
    },
  ];

  const policies = rateLimitPolicies(limiter, env);
  return {
    apolloOptions: {
      introspection: !production,
      validationRules: validationRules as ValidationRule[],
      parseOptions: { maxTokens: env.GRAPHQL_MAX_TOKENS },
    },
    plugins,
    costRefusal,
    reword,
    rateLimitsFor: (req) => ({ limit: (policy, args, ctx, run) => policies[policy](args, ctx, req, run) }),
  };
}

/** The caller's identity for per-principal limits: a person's user id or an API key's id. */
function principalOf(ctx: RequestContext): string | null {
  const p = ctx.principal;
  return p ? (p.kind === 'user' ? `user:${p.userId}` : `key:${p.keyId}`) : null;
}

type Policy = (args: Record<string, any>, ctx: RequestContext, req: Request, run: () => Promise<unknown>) => Promise<unknown>;

/**
 * What each policy a resolver names with @RateLimited counts. The check runs after @Authorized:
 * anonymous callers of claimOffer and ingestActivity are refused there, uncounted.
 */
function rateLimitPolicies(limiter: RateLimiter, env: Env): Record<RateLimitPolicy, Policy> {
  const refuseOver = async (hits: Array<RateLimitHit | null>) => {
    const decision = await limiter.hit(hits.filter((h): h is RateLimitHit => h !== null));
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  };
  const hit = (rule: string, subject: string | null, limit: RateLimitSetting | null): RateLimitHit | null =>
    subject !== null && limit ? { rule, subject, limit } : null;

  return {
    // Per email against password guessing (a successful log-in clears it, so the owner is never
    // locked out by their own sessions), per client address against guessing across many emails
    // and against spending the server's CPU on scrypt.
    [RateLimitPolicy.LOG_IN]: async (args, _ctx, req, run) => {
      const email = String(args.input?.email ?? '')
        .trim()
        .toLowerCase();
      const ip = req.ip ?? req.socket.remoteAddress ?? null;
      await refuseOver([hit('login-email', email, env.RATE_LIMIT_LOGIN_EMAIL), hit('login-ip', ip, env.RATE_LIMIT_LOGIN_IP)]);
      const result = await run();
      if (result instanceof AuthPayload && env.RATE_LIMIT_LOGIN_EMAIL) await limiter.reset({ rule: 'login-email', subject: email });
      return result;
    },
    [RateLimitPolicy.CLAIM]: async (_args, ctx, _req, run) => {
      await refuseOver([hit('claim', principalOf(ctx), env.RATE_LIMIT_CLAIM)]);
      return run();
    },
    [RateLimitPolicy.INGEST]: async (_args, ctx, _req, run) => {
      await refuseOver([hit('ingest', principalOf(ctx), env.RATE_LIMIT_INGEST)]);
      return run();
    },
  };
}
