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

/** Lines are written once this many bytes are buffered (about 15 request lines), or after FLUSH_MS. */
const BUFFER_BYTES = 4096;
const FLUSH_MS = 500;

/**
 * Logs go to stdout as JSON lines, written asynchronously and in batches: lines are buffered until
 * 4 KB are waiting or half a second has passed, so under load one write carries about fifteen
 * request lines instead of one each (each write wakes a thread of the pool: on a small virtual
 * machine that costs more CPU than the line itself). What is still buffered is written
 * synchronously when the process exits (a signal, an uncaught error, the end); a process killed
 * outright (SIGKILL, out of memory) loses at most that last half second.
 */
export function logger(): Logger {
  if (!root) {
    const destination = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
    setInterval(() => {
      try {
        destination.flush();
      } catch {
        // Destroyed (stdout closed): there is nowhere left to write to.
      }
    }, FLUSH_MS).unref();
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
