// First: tracing (when configured) must patch http, pg and ioredis before they load.
import './core/tracing';
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge } from 'prom-client';
import { bootCore, exitOnBootError } from './boot';
import { checkDependencies } from './core/health';
import { onShutdown } from './core/lifecycle';
import { createMetricsRegistry, instrumentWorkers, metricsResponder } from './core/metrics';
import { startWorkers, workerSettings } from './core/worker-runtime';
import type { JobDeps } from './modules/job-types';
import { jobs } from './modules/jobs';
import { NotificationRelay } from './modules/notifications/notification-relay';
import { createServices } from './modules/services';

/** The worker process: BullMQ workers and job schedulers. It never builds the GraphQL schema. */
async function main(): Promise<void> {
  const core = await bootCore('worker');
  const services = createServices(core.dataSource, core.env, core.queues, core.instanceId);
  const deps: JobDeps = { env: core.env, dataSource: core.dataSource, redis: core.redis, services };
  const runtime = await startWorkers({
    connection: core.redis,
    prefix: core.env.BULLMQ_PREFIX,
    jobs,
    deps,
    log: core.log,
    queues: core.queues,
    settings: workerSettings(core.env),
  });

  // One relay per worker, one of them active (a Redis lease): notifications to the API processes' subscribers.
  const relay = new NotificationRelay(core.dataSource, core.redis, core.log, {
    prefix: core.env.BULLMQ_PREFIX,
    pollMs: core.env.NOTIFICATION_RELAY_POLL_MS,
    leaseMs: core.env.NOTIFICATION_RELAY_LEASE_MS,
    redisCommandTimeoutMs: core.env.REDIS_COMMAND_TIMEOUT_MS,
  });
  relay.start();

  const registry = createMetricsRegistry({ dataSource: core.dataSource, queues: core.queues });
  instrumentWorkers(
    registry,
    runtime.workers,
    jobs.map((j) => j.name),
  );
  new Gauge({
    name: 'perks_notification_relay_active',
    help: "1 while this worker's notification relay holds the lease and publishes the live feed, else 0",
    registers: [registry],
    collect() {
      this.set(relay.active ? 1 : 0);
    },
  });
  // The worker's port is internal: /metrics is open there unless METRICS_TOKEN is set.
  const scrape = metricsResponder(registry, core.env.METRICS_TOKEN, core.log);

  // Set at SIGTERM: jobs in progress finish, no new ones start; /readyz says so until the process exits.
  let draining = false;
  const json = (res: http.ServerResponse, status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const health = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      void scrape(req, res);
      return;
    }
    // Liveness: the process answers. A dependency outage is not a reason to restart it (it
    // reconnects by itself), so that is /readyz's business.
    if (req.url === '/healthz') {
      json(res, 200, { status: 'ok' });
      return;
    }
    // Readiness: workers running, Postgres and Redis answering, not draining.
    if (req.url === '/readyz') {
      void checkDependencies(core.dataSource, core.redis).then((dependencies) => {
        const workers = runtime.running();
        const ready = !draining && workers && dependencies.postgres && dependencies.redis;
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : draining ? 'draining' : 'unavailable', workers, ...dependencies });
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => health.listen(core.env.WORKER_PORT, core.env.HOST, resolve));
  const { port } = health.address() as AddressInfo;
  core.log.info(
    {
      healthz: `http://${core.env.HOST}:${port}/healthz`,
      readyz: `http://${core.env.HOST}:${port}/readyz`,
      metrics: `http://${core.env.HOST}:${port}/metrics`,
      jobs: jobs.map((j) => j.name),
      startupMs: Math.round(process.uptime() * 1000),
    },
    'worker ready',
  );

  onShutdown(
    async () => {
      draining = true;
      await relay.stop();
      await runtime.close();
      // Open until the jobs are done, so that /readyz answers 503 (draining) meanwhile.
      health.close();
      await core.close();
    },
    core.log,
    core.env.SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch(exitOnBootError('worker'));
