/**
 * Configuration from the environment, validated once at boot. Every problem is collected and
 * reported together, each as a sentence a person can act on.
 */

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** At most `limit` calls per `windowSeconds`. */
export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

export interface Env {
  NODE_ENV: NodeEnv;
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  /** Claim transactions one API process runs at once (the others wait their turn in the process). */
  CLAIM_CONCURRENCY: number;
  REDIS_URL: string;
  BULLMQ_PREFIX: string;
  PORT: number;
  HOST: string;
  WORKER_PORT: number;
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_TTL_SECONDS: number;
  ADMIN_EMAIL: string;
  ADMIN_PASSWORD: string;
  LOG_LEVEL: LogLevel;
  SCRYPT_COST: number;
  SHUTDOWN_TIMEOUT_MS: number;
  BODY_LIMIT: string;
  MIGRATE_ON_BOOT: boolean;
  SCORES_CRON: string;
  SCORES_TZ: string;
  SCORE_HISTORY_DAYS: number;
  /** How often a running score run writes its progress (phase, share done, ETA) to its row. */
  SCORE_RUN_PROGRESS_MS: number;
  /** Query limits on /graphql (src/api/limits.ts); refusals never state them. */
  GRAPHQL_MAX_DEPTH: number;
  GRAPHQL_MAX_ALIASES: number;
  GRAPHQL_MAX_DIRECTIVES: number;
  GRAPHQL_MAX_TOKENS: number;
  GRAPHQL_MAX_COST: number;
  /** Per-principal rate limits (null: off), shared by every API process through Redis. */
  RATE_LIMIT_LOGIN_EMAIL: RateLimitSetting | null;
  RATE_LIMIT_LOGIN_IP: RateLimitSetting | null;
  RATE_LIMIT_CLAIM: RateLimitSetting | null;
  RATE_LIMIT_INGEST: RateLimitSetting | null;
  /** How long one enqueue (or any producer command) may wait for Redis before it counts as failed. */
  REDIS_COMMAND_TIMEOUT_MS: number;
  /** How often the worker adds jobs saved in the job outbox (while Redis was away) to their queues. */
  OUTBOX_POLL_MS: number;
  /** BullMQ stalled-job check period; see src/core/worker-runtime.ts. */
  WORKER_STALLED_INTERVAL_MS: number;
  /** BullMQ job lock duration; unset: per queue (60 s scoring, 30 s others). */
  WORKER_LOCK_DURATION_MS?: number;
  /** How often a job may be taken back from a dead worker before it fails. */
  WORKER_MAX_STALLED_COUNT: number;
  /** How often the worker's notification relay looks for newly committed notifications to publish live. */
  NOTIFICATION_RELAY_POLL_MS: number;
  /** The relay's Redis lease: when its holder dies, another worker's relay takes over within about this long. */
  NOTIFICATION_RELAY_LEASE_MS: number;
  /** Open WebSockets (graphql-ws on /graphql) one API process accepts, in all and per signed-in principal. */
  WS_MAX_CONNECTIONS: number;
  WS_MAX_CONNECTIONS_PER_USER: number;
  /** When set, /metrics (API and worker) requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN?: string;
  /** Where traces go (OTLP/HTTP); unset, tracing is off. Read by src/core/tracing.ts before this; checked here to be reported. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Lets webhook URLs reach private, loopback and link-local addresses (and http in production): local receivers only. */
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean;
  /** First webhook retry delay; each next one doubles. */
  WEBHOOK_RETRY_BASE_MS: number;
  /** How long after its event a delivery is retried (then FAILED), and how long an endpoint may fail before it is disabled. */
  WEBHOOK_RETRY_WINDOW_MS: number;
  /** One webhook request's deadline. */
  WEBHOOK_TIMEOUT_MS: number;
  /** When the worker sweeps for deliveries no job stands for (a lost enqueue): a cron pattern (5 fields, or 6 with seconds first). */
  WEBHOOK_SWEEP_CRON: string;
  /** Where e-mail goes (smtp:// or smtps://, credentials in the URL); unset: no e-mail at all. */
  SMTP_URL?: string;
  /** The From of every mail: an address, or `Name <address>`. */
  SMTP_FROM: string;
  /** When the worker collects due e-mail: a cron pattern (5 fields, or 6 with seconds first). */
  EMAIL_SWEEP_CRON: string;
  /** How often one message is tried (temporary failures: 4xx, timeouts, refused connections) before it is FAILED. */
  EMAIL_ATTEMPTS: number;
  /** First e-mail retry delay; each next one doubles. */
  EMAIL_RETRY_BASE_MS: number;
  /** The SMTP connection, greeting and socket (idle) timeouts. */
  EMAIL_TIMEOUT_MS: number;
  /** How far back the sweep looks for notifications not mailed yet (rows that committed late, a stopped worker). */
  EMAIL_LOOKBACK_HOURS: number;
  /** The app the mails link to (no front-end exists yet). */
  APP_URL: string;
  /** This API as the recipients' mail clients reach it: the unsubscribe links point there. */
  API_PUBLIC_URL: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Development defaults work on a machine with the local Postgres and Redis described in the README.
// Secrets have no default in production.
const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
const DEV_ADMIN_PASSWORD = 'admin-password-change-me';

type Source = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly source: Source) {}

  raw(name: string): string | undefined {
    const value = this.source[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string | undefined, check?: (v: string) => string | null): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is required`);
      return '';
    }
    const problem = check?.(value);
    if (problem) this.problems.push(`${name} ${problem}`);
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  /** `10/15m` (10 calls per 15 minutes; s, m or h, seconds without a unit), or `off`. */
  rate(name: string, fallback: RateLimitSetting): RateLimitSetting | null {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'off') return null;
    const match = /^(\d+)\/(\d+)(s|m|h)?$/.exec(raw);
    const windowSeconds = match ? Number(match[2]) * { s: 1, m: 60, h: 3600 }[(match[3] ?? 's') as 's' | 'm' | 'h'] : 0;
    if (!match || Number(match[1]) < 1 || windowSeconds < 1 || windowSeconds > 86_400) {
      this.problems.push(`${name} must look like 10/15m (calls per window of s, m or h, at most 24h) or off (got "${raw}")`);
      return fallback;
    }
    return { limit: Number(match[1]), windowSeconds };
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }
}

const urlWithProtocols =
  (protocols: string[], example: string) =>
  (value: string): string | null => {
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return null;
    } catch {
      return `must be a URL like ${example}`;
    }
  };

export function loadEnv(source: Source = process.env): Env {
  const r = new Reader(source);
  const NODE_ENV = r.oneOf<NodeEnv>('NODE_ENV', 'development', ['development', 'test', 'production']);
  const production = NODE_ENV === 'production';

  const DATABASE_URL = r.string('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/perks', (v) => {
    const bad = urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user@host:5432/perks')(v);
    if (bad) return bad;
    return new URL(v).pathname.replace(/^\//, '') === '' ? 'must name a database (…:5432/perks)' : null;
  });
  const REDIS_URL = r.string('REDIS_URL', 'redis://127.0.0.1:6379', urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'));
  const JWT_SECRET = r.string('JWT_SECRET', production ? undefined : DEV_JWT_SECRET, (v) =>
    v.length < 32 ? 'must be at least 32 characters' : null,
  );
  const ADMIN_EMAIL = r.string('ADMIN_EMAIL', 'admin@perks.local', (v) =>
    /^[^\s@]+@[^\s@]+$/.test(v) ? null : `must be an email address (got "${v}")`,
  );
  const ADMIN_PASSWORD = r.string('ADMIN_PASSWORD', production ? undefined : DEV_ADMIN_PASSWORD, (v) =>
    v.length < 12 ? 'must be at least 12 characters' : null,
  );
  // The development defaults are published (here and in the README): in production they would let
  // anyone forge tokens or sign in as the operator.
  if (production && JWT_SECRET === DEV_JWT_SECRET) r.problems.push('JWT_SECRET must not be the development default in production');
  if (production && ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    r.problems.push('ADMIN_PASSWORD must not be the development default in production');
  }

  const env: Env = {
    NODE_ENV,
    DATABASE_URL,
    DATABASE_POOL_SIZE: r.int('DATABASE_POOL_SIZE', 10, 1, 200),
    CLAIM_CONCURRENCY: r.int('CLAIM_CONCURRENCY', 2, 1, 200),
    REDIS_URL,
    BULLMQ_PREFIX: r.string('BULLMQ_PREFIX', 'perks', (v) =>
      /^[A-Za-z0-9_-]{1,64}$/.test(v) ? null : 'must be 1-64 letters, digits, "-" or "_"',
    ),
    PORT: r.int('PORT', 4000, 0, 65535),
    HOST: r.string('HOST', '0.0.0.0'),
    WORKER_PORT: r.int('WORKER_PORT', 4001, 0, 65535),
    JWT_SECRET,
    JWT_ISSUER: r.string('JWT_ISSUER', 'perks-api'),
    JWT_AUDIENCE: r.string('JWT_AUDIENCE', 'perks-clients'),
    JWT_TTL_SECONDS: r.int('JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    ADMIN_EMAIL: ADMIN_EMAIL.toLowerCase(),
    ADMIN_PASSWORD,
    LOG_LEVEL: r.oneOf<LogLevel>('LOG_LEVEL', NODE_ENV === 'test' ? 'silent' : 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    // log2 of scrypt's N. 15 (32 MiB, ~100 ms) in production; tests may lower it to stay fast.
    SCRYPT_COST: r.int('SCRYPT_COST', 15, 10, 20),
    SHUTDOWN_TIMEOUT_MS: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 300_000),
    MIGRATE_ON_BOOT: r.bool('MIGRATE_ON_BOOT', true),
    SCORES_CRON: r.string('SCORES_CRON', '0 3 * * *', (v) =>
      /^\S+(\s+\S+){4,5}$/.test(v) ? null : 'must be a cron pattern of 5 or 6 fields, like "0 3 * * *"',
    ),
    SCORES_TZ: r.string('SCORES_TZ', 'UTC', (v) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: v });
        return null;
      } catch {
        return `must be an IANA time zone like UTC or Europe/Paris (got "${v}")`;
      }
    }),
    SCORE_HISTORY_DAYS: r.int('SCORE_HISTORY_DAYS', 180, 2, 3650),
    SCORE_RUN_PROGRESS_MS: r.int('SCORE_RUN_PROGRESS_MS', 2_000, 50, 60_000),
    GRAPHQL_MAX_DEPTH: r.int('GRAPHQL_MAX_DEPTH', 10, 2, 100),
    GRAPHQL_MAX_ALIASES: r.int('GRAPHQL_MAX_ALIASES', 30, 0, 1000),
    GRAPHQL_MAX_DIRECTIVES: r.int('GRAPHQL_MAX_DIRECTIVES', 20, 0, 1000),
    GRAPHQL_MAX_TOKENS: r.int('GRAPHQL_MAX_TOKENS', 3000, 100, 1_000_000),
    GRAPHQL_MAX_COST: r.int('GRAPHQL_MAX_COST', 10_000, 10, 10_000_000),
    // Generous for people (and the test suite); tight enough that guessing and flooding get nowhere.
    RATE_LIMIT_LOGIN_EMAIL: r.rate('RATE_LIMIT_LOGIN_EMAIL', { limit: 10, windowSeconds: 15 * 60 }),
    RATE_LIMIT_LOGIN_IP: r.rate('RATE_LIMIT_LOGIN_IP', { limit: 60, windowSeconds: 60 }),
    RATE_LIMIT_CLAIM: r.rate('RATE_LIMIT_CLAIM', { limit: 60, windowSeconds: 60 }),
    RATE_LIMIT_INGEST: r.rate('RATE_LIMIT_INGEST', { limit: 120, windowSeconds: 60 }),
    REDIS_COMMAND_TIMEOUT_MS: r.int('REDIS_COMMAND_TIMEOUT_MS', 2_000, 50, 60_000),
    OUTBOX_POLL_MS: r.int('OUTBOX_POLL_MS', 5_000, 50, 600_000),
    WORKER_STALLED_INTERVAL_MS: r.int('WORKER_STALLED_INTERVAL_MS', 30_000, 100, 600_000),
    WORKER_LOCK_DURATION_MS:
      r.raw('WORKER_LOCK_DURATION_MS') === undefined ? undefined : r.int('WORKER_LOCK_DURATION_MS', 30_000, 500, 600_000),
    WORKER_MAX_STALLED_COUNT: r.int('WORKER_MAX_STALLED_COUNT', 2, 0, 100),
    NOTIFICATION_RELAY_POLL_MS: r.int('NOTIFICATION_RELAY_POLL_MS', 250, 20, 60_000),
    NOTIFICATION_RELAY_LEASE_MS: r.int('NOTIFICATION_RELAY_LEASE_MS', 10_000, 1_000, 600_000),
    WS_MAX_CONNECTIONS: r.int('WS_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    WS_MAX_CONNECTIONS_PER_USER: r.int('WS_MAX_CONNECTIONS_PER_USER', 10, 1, 10_000),
    WEBHOOK_ALLOW_PRIVATE_URLS: r.bool('WEBHOOK_ALLOW_PRIVATE_URLS', false),
    WEBHOOK_RETRY_BASE_MS: r.int('WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    WEBHOOK_RETRY_WINDOW_MS: r.int('WEBHOOK_RETRY_WINDOW_MS', 24 * 3_600_000, 100, 30 * 24 * 3_600_000),
    WEBHOOK_TIMEOUT_MS: r.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    WEBHOOK_SWEEP_CRON: r.string('WEBHOOK_SWEEP_CRON', '* * * * *', (v) =>
      /^\S+(\s+\S+){4,5}$/.test(v) ? null : 'must be a cron pattern of 5 or 6 fields, like "* * * * *"',
    ),
    // The URL holds the relay's password: a problem never repeats it.
    SMTP_URL:
      r.raw('SMTP_URL') === undefined
        ? undefined
        : r.string('SMTP_URL', undefined, (v) => {
            try {
              const url = new URL(v);
              if (['smtp:', 'smtps:'].includes(url.protocol) && url.hostname) return null;
            } catch {
              // worded below
            }
            return 'must be a URL like smtp://user:password@smtp.example.com:587 or smtps://user:password@smtp.example.com:465 (the value is not repeated: it may hold a password)';
          }),
    SMTP_FROM: r.string('SMTP_FROM', 'Perks <no-reply@perks.local>', (v) =>
      /^[^\s@<>]+@[^\s@<>]+$/.test(v) || /^[^<>@]*<[^\s@<>]+@[^\s@<>]+>$/.test(v)
        ? null
        : `must be an address or "Name <address>" (got "${v}")`,
    ),
    EMAIL_SWEEP_CRON: r.string('EMAIL_SWEEP_CRON', '* * * * *', (v) =>
      /^\S+(\s+\S+){4,5}$/.test(v) ? null : 'must be a cron pattern of 5 or 6 fields, like "* * * * *"',
    ),
    EMAIL_ATTEMPTS: r.int('EMAIL_ATTEMPTS', 5, 1, 20),
    EMAIL_RETRY_BASE_MS: r.int('EMAIL_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    EMAIL_TIMEOUT_MS: r.int('EMAIL_TIMEOUT_MS', 30_000, 100, 600_000),
    EMAIL_LOOKBACK_HOURS: r.int('EMAIL_LOOKBACK_HOURS', 48, 1, 24 * 14),
    APP_URL: r
      .string('APP_URL', 'http://localhost:3000', urlWithProtocols(['http:', 'https:'], 'https://app.example.com'))
      .replace(/\/+$/, ''),
    API_PUBLIC_URL: r
      .string('API_PUBLIC_URL', 'http://localhost:4000', urlWithProtocols(['http:', 'https:'], 'https://api.example.com'))
      .replace(/\/+$/, ''),
    BODY_LIMIT: r.string('BODY_LIMIT', '8mb', (v) => (/^\d+(kb|mb)$/i.test(v) ? null : 'must look like 512kb or 1mb')),
    METRICS_TOKEN:
      r.raw('METRICS_TOKEN') === undefined
        ? undefined
        : r.string('METRICS_TOKEN', undefined, (v) => (v.length < 16 ? 'must be at least 16 characters' : null)),
    OTEL_EXPORTER_OTLP_ENDPOINT:
      r.raw('OTEL_EXPORTER_OTLP_ENDPOINT') === undefined
        ? undefined
        : r.string('OTEL_EXPORTER_OTLP_ENDPOINT', undefined, urlWithProtocols(['http:', 'https:'], 'http://collector:4318')),
  };
  if (r.problems.length) throw new ConfigError(r.problems);
  return env;
}

let cached: Env | undefined;

/** The process's configuration, read and validated on first use. */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
