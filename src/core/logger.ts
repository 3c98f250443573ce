import pino, { type Logger } from 'pino';
import { env } from './env';
import { activeTraceIds, tracingEnabled } from './tracing';

export type { Logger };

// Personal data and secrets never reach the logs, whatever a caller passes in.
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'email',
  '*.email',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
];

let root: Logger | undefined;

/**
 * Logs go to stdout as JSON lines, written asynchronously: a line logged while a write is in
 * flight joins the next write, so under load one syscall carries many request lines instead of
 * one each. What is still buffered is written synchronously when the process exits.
 */
export function logger(): Logger {
  if (!root) {
    const destination = pino.destination({ dest: 1, sync: false });
    process.once('exit', () => {
      try {
        destination.flushSync();
      } catch {
        // stdout already gone (a closed pipe): nothing left to save.
      }
    });
    root = pino(
      {
        level: env().LOG_LEVEL,
        base: { pid: process.pid },
        redact: { paths: REDACT, censor: '[redacted]' },
        timestamp: pino.stdTimeFunctions.isoTime,
        // With tracing on, a line logged inside a span names it: logs and traces join on trace_id.
        ...(tracingEnabled() ? { mixin: () => activeTraceIds() ?? {} } : {}),
      },
      destination,
    );
  }
  return root;
}
