import type { Logger } from './logger';
import { stopTracing } from './tracing';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits; a stop that outlasts the timeout is cut short
 * so an orchestrator's kill never finds the process hung.
 */
export function onShutdown(stop: () => Promise<void>, log: Logger, timeoutMs: number): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    // The spans of the drain itself are exported too: the tracer stops last.
    stop()
      .then(stopTracing)
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  // `on`, not `once`: a terminal's Ctrl-C and a supervisor may both signal; a repeat must not kill mid-drain.
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
