import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { exitOnBootError, openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';
import { seedDemoIfEmpty } from './demo-data';

/**
 * `npm start`: migrates, seeds demo data when the database is empty (never with
 * NODE_ENV=production), then runs the API and the worker as two child processes (as in
 * production) and stops both when either stops or on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = env();
  const log = logger().child({ process: 'start' });
  const dataSource = await openDatabase(config, log, 'migrate');
  try {
    // The demo's score run is computed and its campaigns matched here, before the API listens: the
    // worker started below finds the run done.
    if (config.NODE_ENV === 'production') log.info('NODE_ENV=production: demo data is not seeded');
    else await seedDemoIfEmpty(dataSource, config, log);
  } finally {
    await dataSource.destroy();
  }

  // Children run the same way as this script: compiled .js, or .ts under ts-node in development.
  const extension = path.extname(__filename);
  const children: ChildProcess[] = ['main', 'worker'].map((name) =>
    spawn(process.execPath, [...process.execArgv, path.join(__dirname, '..', `${name}${extension}`)], {
      stdio: 'inherit',
      env: { ...process.env, MIGRATE_ON_BOOT: 'false' },
    }),
  );
  let exiting = false;
  const stopAll = (signal: NodeJS.Signals) => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const child of children) {
    child.on('exit', (code) => {
      if (!exiting) {
        exiting = true;
        stopAll('SIGTERM');
      }
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      exiting = true;
      stopAll(signal);
    });
  }
}

main().catch(exitOnBootError('start'));
