import { GraphQLError } from 'graphql';
import { Field, InterfaceType, registerEnumType } from 'type-graphql';

/**
 * Expected business failures, returned as data in `...Result` unions (Vendure's ErrorResult
 * pattern). One enum for the whole API so clients can switch on a single type.
 */
export enum ErrorCode {
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  SCOPE_NOT_ALLOWED = 'SCOPE_NOT_ALLOWED',
  NOT_AN_AGENCY = 'NOT_AN_AGENCY',
  HANDLE_TAKEN = 'HANDLE_TAKEN',
  BATCH_TOO_LARGE = 'BATCH_TOO_LARGE',
  INVALID_RUN_DATE = 'INVALID_RUN_DATE',
  INVALID_SCHEDULE = 'INVALID_SCHEDULE',
  UNKNOWN_TOPIC = 'UNKNOWN_TOPIC',
  INVALID_CAMPAIGN_STATE = 'INVALID_CAMPAIGN_STATE',
  INVENTORY_BELOW_CLAIMED = 'INVENTORY_BELOW_CLAIMED',
  BUDGET_BELOW_SPENT = 'BUDGET_BELOW_SPENT',
  SOLD_OUT = 'SOLD_OUT',
  OFFER_EXPIRED = 'OFFER_EXPIRED',
  OFFER_WITHDRAWN = 'OFFER_WITHDRAWN',
  OFFER_DECLINED = 'OFFER_DECLINED',
  OFFER_NOT_OPEN = 'OFFER_NOT_OPEN',
  ALREADY_CLAIMED = 'ALREADY_CLAIMED',
  BUDGET_EXHAUSTED = 'BUDGET_EXHAUSTED',
  CLAIM_CAP_REACHED = 'CLAIM_CAP_REACHED',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  CAMPAIGN_NOT_ACTIVE = 'CAMPAIGN_NOT_ACTIVE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  ALREADY_REDEEMED = 'ALREADY_REDEEMED',
  CLAIM_CANCELLED = 'CLAIM_CANCELLED',
  INVALID_CODE = 'INVALID_CODE',
  ERASURE_BUSY = 'ERASURE_BUSY',
  OPT_OUT_BUSY = 'OPT_OUT_BUSY',
  INVALID_WEBHOOK_URL = 'INVALID_WEBHOOK_URL',
  /** Thrown (not returned as data) with `extensions.retryAfterSeconds`: too many calls in a short time. */
  RATE_LIMITED = 'RATE_LIMITED',
}
registerEnumType(ErrorCode, { name: 'ErrorCode', description: 'Codes of expected business failures' });

/**
 * `C` narrows a failure class to its own code (`extends ErrorResult<ErrorCode.SOLD_OUT>`), so a
 * failure registry keyed by code can check each entry's class at compile time.
 */
@InterfaceType({ description: 'An expected business failure, returned as data' })
export abstract class ErrorResult<C extends ErrorCode = ErrorCode> {
  @Field(() => ErrorCode)
  errorCode: C;

  @Field(() => String, { description: 'A sentence a person can act on' })
  message: string;

  constructor(errorCode: C, message: string) {
    this.errorCode = errorCode;
    this.message = message;
  }
}

/** Codes of thrown errors whose message is safe to show a client; every other error is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
]);

export function unauthenticated(message = 'Sign in first: send a valid Authorization: Bearer token or X-Api-Key'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(message = 'You are not allowed to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Also used for things that exist but belong to someone else, so ids cannot be probed. */
export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/**
 * Input refused before any resolver ran, in the shape of argument validation's answer:
 * `extensions.fields` names each field with its messages. HTTP 400, as for a variable GraphQL could not coerce.
 */
export function invalidFields(fields: FieldProblem[]): GraphQLError {
  return new GraphQLError(`Invalid input: ${fields.flatMap((f) => f.messages).join('; ')}`, {
    extensions: { code: 'BAD_USER_INPUT', fields, http: { status: 400 } },
  });
}

/** Too many calls: the message and `extensions.retryAfterSeconds` say when to try again (HTTP 429, Retry-After). */
export function rateLimited(retryAfterSeconds: number): GraphQLError {
  const wait = retryAfterSeconds === 1 ? '1 second' : `${retryAfterSeconds} seconds`;
  return new GraphQLError(`Too many attempts: try again in ${wait}`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/** The SQLSTATE of a Postgres error, whether pg's own or wrapped by TypeORM. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code ?? e?.driverError?.code;
}

/** True for a Postgres unique violation, optionally on a named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { constraint?: string; driverError?: { constraint?: string } };
  const name = e?.constraint ?? e?.driverError?.constraint;
  return sqlState(error) === '23505' && (constraint === undefined || name === constraint);
}
