import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDataSource } from '../../ormconfig';
import { buildApiSchema, NO_PUBSUB, printSortedSchema } from '../api/schema';
import { env } from '../core/env';
import { createServices } from '../modules/services';
import { unusedQueues } from '../core/queues';

/**
 * Writes schema/schema.graphql from the resolvers, or with --check fails when the committed file
 * differs. Needs no database: the services are built but never connected.
 */
async function main(): Promise<void> {
  const target = path.resolve(__dirname, '../../schema/schema.graphql').replace(`${path.sep}dist${path.sep}`, path.sep);
  // No instance id without a database: these services never enqueue a job.
  const sdl = printSortedSchema(await buildApiSchema(createServices(createDataSource(), env(), unusedQueues(), 'unused'), NO_PUBSUB));
  if (!process.argv.includes('--check')) {
    writeFileSync(target, sdl);
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // Missing file: reported as a difference below.
  }
  if (committed === sdl) {
    console.log('schema/schema.graphql is up to date');
    return;
  }
  const a = committed.split('\n');
  const b = sdl.split('\n');
  const first = a.findIndex((line, i) => line !== b[i]);
  console.error(`schema/schema.graphql differs from the code (first difference at line ${first + 1}):`);
  console.error(`  committed: ${a[first] ?? '<end of file>'}\n  code:      ${b[first] ?? '<end of file>'}`);
  console.error('Run `npm run schema:emit` and commit the result.');
  process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
