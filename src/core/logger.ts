import pino, { type Logger } from 'pino';
import { env } from './env';

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

export function logger(): Logger {
  root ??= pino({
    level: env().LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}
