// First: tracing (when configured) must patch http, express, graphql, pg and ioredis before they load.
import './core/tracing';
import 'reflect-metadata';
import { createApiServer } from './api/server';
import { bootCore, exitOnBootError } from './boot';
import { onShutdown } from './core/lifecycle';
import { createServices } from './modules/services';

/** The API process: HTTP + GraphQL. It enqueues jobs but never consumes them. */
async function main(): Promise<void> {
  const core = await bootCore('api');
  const services = createServices(core.dataSource, core.env, core.queues, core.instanceId);
  await services.accounts.ensureAdmin(core.env.ADMIN_EMAIL, core.env.ADMIN_PASSWORD, core.log);
  const api = await createApiServer({ ...core, services });
  const url = await api.listen(core.env.PORT);
  core.log.info({ url: `${url}/graphql`, startupMs: Math.round(process.uptime() * 1000) }, 'API listening');
  onShutdown(
    async () => {
      await api.stop();
      await core.close();
    },
    core.log,
    core.env.SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch(exitOnBootError('api'));
