import { ConfigError, loadEnv } from '../../src/core/env';

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('works on this machine with no variables set', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/perks',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 4000,
      MIGRATE_ON_BOOT: true,
    });
    expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('says what is wrong with each variable, all at once', () => {
    const problems = problemsOf({
      JWT_SECRET: 'short',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x/y',
      REDIS_URL: 'localhost',
      LOG_LEVEL: 'loud',
      MIGRATE_ON_BOOT: 'maybe',
    });
    expect(problems).toEqual([
      'DATABASE_URL must be a URL like postgres://user@host:5432/perks',
      'REDIS_URL must be a URL like redis://127.0.0.1:6379',
      'JWT_SECRET must be at least 32 characters',
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'MIGRATE_ON_BOOT must be true or false (got "maybe")',
    ]);
  });

  it('requires real secrets in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['JWT_SECRET is required', 'ADMIN_PASSWORD is required']);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
        ADMIN_PASSWORD: 'a-long-password',
      }),
    ).toEqual(['JWT_SECRET must not be the development default in production']);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
        ADMIN_PASSWORD: 'admin-password-change-me',
      }),
    ).toEqual(['ADMIN_PASSWORD must not be the development default in production']);
    // Outside production the default still lets a fresh checkout run with no variables set.
    expect(loadEnv({}).ADMIN_PASSWORD).toBe('admin-password-change-me');
  });

  it('refuses a database URL without a database name and a weak admin password', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://127.0.0.1:5432', ADMIN_PASSWORD: 'short' })).toEqual([
      'DATABASE_URL must name a database (…:5432/perks)',
      'ADMIN_PASSWORD must be at least 12 characters',
    ]);
  });

  it('formats the problems as one readable message', () => {
    expect(() => loadEnv({ JWT_SECRET: 'x' })).toThrow('Invalid configuration:\n  - JWT_SECRET must be at least 32 characters');
  });
});
