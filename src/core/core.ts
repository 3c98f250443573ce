import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Env } from './env';
import type { Logger } from './logger';
import type { Queues } from './queues';

/**
 * What both processes stand on: configuration, logs, Postgres and Redis. bootCore (src/boot.ts)
 * creates it; it lives down here so modules (the jobs' deps) can name it without importing boot.
 */
export interface Core {
  env: Env;
  log: Logger;
  dataSource: DataSource;
  /** The database's instance id, read once at boot (src/core/instance.ts); job ids carry it. */
  instanceId: string;
  redis: Redis;
  queues: Queues;
  close(): Promise<void>;
}
