import { once } from 'node:events';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Logger } from '../core/logger';
import { NOTIFICATION_ADDED, notificationChannel, parseBatch, type LiveNotification } from '../modules/notifications/live-feed';

/** A subscriber this far behind (a client not reading its socket) is ended rather than buffered without bound. */
const MAX_PENDING = 1_000;

interface Listener {
  push(item: LiveNotification): void;
}

/**
 * The API process's end of the live feed: ONE Redis connection subscribed to the relay's channel
 * (a subscribing connection can run nothing else, so it is not shared), and an in-memory fan-out
 * to the process's subscribers by user id. Given to type-graphql as its `pubSub`: `@Subscription`
 * with topic NOTIFICATION_ADDED and the subscriber's user id as topicId listens here.
 *
 * Publishing is the worker's relay's alone (modules/notifications/notification-relay.ts): a
 * notification exists once committed in Postgres, never because an API process said so.
 */
export class LiveFeed implements PubSub {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    // The process connection's options (commands wait across a reconnect; ioredis subscribes again after one).
    this.subscriber = redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
    this.subscriber.on('error', () => undefined);
  }

  /** Subscribes to the channel; resolves once Redis confirmed, so nothing published after boot is missed. */
  async start(): Promise<void> {
    // Only once ready: ioredis writes SUBSCRIBE on a connection still in its handshake, and its ready
    // check (INFO) then fails in subscriber mode, dropping the connection (the subscription with it).
    if (this.subscriber.status !== 'ready') await once(this.subscriber, 'ready');
    await this.subscriber.subscribe(notificationChannel(this.prefix));
  }

  /** Subscribers listening in this process now. */
  get subscribers(): number {
    return this.count;
  }

  publish(): void {
    throw new Error('The live feed is published by the worker relay only');
  }

  subscribe(topic: string, id?: unknown): AsyncIterable<LiveNotification> {
    const key = `${topic}:${String(id)}`;
    return { [Symbol.asyncIterator]: () => this.listen(key) };
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private dispatch(message: string): void {
    const batch = parseBatch(message);
    if (!batch) {
      this.log.warn('live feed: a message on the channel is not a batch of notifications; ignored');
      return;
    }
    if (this.count === 0) return;
    for (const n of batch.notifications) {
      for (const listener of this.listeners.get(`${NOTIFICATION_ADDED}:${n.userId}`) ?? []) listener.push(n);
    }
  }

  /** One subscriber's queue: items wait here until the socket takes them; return() (the client completing) unregisters. */
  private listen(key: string): AsyncIterator<LiveNotification> {
    const queue: LiveNotification[] = [];
    let waiting: ((result: IteratorResult<LiveNotification>) => void) | null = null;
    let overflow = false;
    let done = false;
    const listener: Listener = {
      push: (item) => {
        if (done) return;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: item, done: false });
        } else if (queue.length < MAX_PENDING) {
          queue.push(item);
        } else {
          overflow = true;
          stop();
        }
      },
    };
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(key, set);
    this.count++;
    const stop = () => {
      if (done) return;
      done = true;
      this.count--;
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
    const fellBehind = () =>
      new GraphQLError('You fell too far behind the live feed: read your notifications, then subscribe again', {
        extensions: { code: 'BAD_REQUEST' },
      });
    return {
      next: () => {
        if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
        if (overflow) return Promise.reject(fellBehind());
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        stop();
        const resolve = waiting;
        waiting = null;
        resolve?.({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
