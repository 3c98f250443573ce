/**
 * Configuration from the environment, validated once at boot. Every problem is collected and
 * reported together, each as a sentence a person can act on.
 */

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Env {
  NODE_ENV: NodeEnv;
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
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
  if (production && JWT_SECRET === DEV_JWT_SECRET) r.problems.push('JWT_SECRET must not be the development default in production');

  const env: Env = {
    NODE_ENV,
    DATABASE_URL,
    DATABASE_POOL_SIZE: r.int('DATABASE_POOL_SIZE', 10, 1, 200),
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
    BODY_LIMIT: r.string('BODY_LIMIT', '8mb', (v) => (/^\d+(kb|mb)$/i.test(v) ? null : 'must look like 512kb or 1mb')),
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
