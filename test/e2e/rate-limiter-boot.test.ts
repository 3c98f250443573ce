import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import pino from 'pino';
import { RateLimiter } from '../../src/core/rate-limit';
import { startTestApi, type TestApi } from '../helpers/api';
import { suitePrefix } from '../helpers/worker';

const UNREACHABLE = 'rate limiter cannot reach Redis: calls are let through unlimited';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A logger whose lines (warnings and worse) the test reads. */
function capturingLogger(): { log: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void messages.push(JSON.parse(line).msg) });
  return { log, messages };
}

describe('the rate limiter right after boot, Redis up', () => {
  let api: TestApi;
  const { log, messages } = capturingLogger();
  beforeAll(async () => {
    api = await startTestApi({ BULLMQ_PREFIX: suitePrefix('limiter-boot'), RATE_LIMIT_LOGIN_EMAIL: '1/15m' }, log);
  });
  afterAll(() => api?.stop());

  it("counts the queue dashboard's first sign-in after boot, and never says Redis is unreachable", async () => {
    const email = `guess-${randomUUID()}@test.perks`;
    const first = await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic(email, 'first-guess') } });
    expect(first.status).toBe(401);
    const second = await fetch(`${api.url}/admin/queues`, { headers: { authorization: basic(email, 'second-guess') } });
    expect(second.status).toBe(429);
    expect(messages).not.toContain(UNREACHABLE);
  });
});

describe('a rate limiter called while its connection is still opening', () => {
  it('waits for the connection and counts the call, instead of letting it through', async () => {
    const { log, messages } = capturingLogger();
    const redis = new IORedis(process.env.REDIS_URL!, { lazyConnect: true });
    const limiter = new RateLimiter(redis, suitePrefix('limiter-connecting'), log);
    try {
      // No ready() first: the connection is being opened as the calls arrive.
      const hits = [{ rule: 'test', subject: randomUUID(), limit: { limit: 1, windowSeconds: 60 } }];
      expect(await limiter.hit(hits)).toEqual({ allowed: true });
      expect(await limiter.hit(hits)).toMatchObject({ allowed: false });
      expect(messages).not.toContain(UNREACHABLE);
    } finally {
      limiter.close();
      redis.disconnect();
    }
  });
});

describe('rate-limit calls made in the same turn of the event loop', () => {
  it('go to Redis together and each counts: exactly the limit is let through, over one or many counters', async () => {
    const { log, messages } = capturingLogger();
    const redis = new IORedis(process.env.REDIS_URL!, { lazyConnect: true });
    const limiter = new RateLimiter(redis, suitePrefix('limiter-batched'), log);
    await limiter.ready();
    try {
      const limit = { limit: 5, windowSeconds: 60 };
      const mine = { rule: 'test', subject: randomUUID(), limit };
      const shared = { rule: 'test', subject: randomUUID(), limit: { limit: 12, windowSeconds: 60 } };
      // 20 calls at once (a batch): 5 of them on `mine` alone, then pairs of `mine` and `shared`.
      const calls = Array.from({ length: 20 }, (_, i) => (i < 10 ? [mine] : [mine, shared]));
      const decisions = await Promise.all(calls.map((hits) => limiter.hit(hits)));
      expect(decisions.map((d) => d.allowed)).toEqual(Array.from({ length: 20 }, (_, i) => i < 5));
      expect(decisions[19]).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
      // Each call bumped each of its counters once: `shared` is at 10 of 12, so the next two calls on it alone pass.
      const after = await Promise.all([1, 2, 3].map(() => limiter.hit([shared])));
      expect(after.map((d) => d.allowed)).toEqual([true, true, false]);
      expect(messages).not.toContain(UNREACHABLE);
    } finally {
      limiter.close();
      redis.disconnect();
    }
  });
});
