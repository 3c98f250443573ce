import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../boot';
import { env } from '../core/env';
import { logger } from '../core/logger';
import { ActivityService } from '../modules/activity/activity.service';
import { importNdjson } from '../modules/activity/bulk-import';

/** `npm run import -- FILE.ndjson`: the bulk path for activity files (binary COPY into staging, then the ingestion merge). */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { chunk: { type: 'string', default: '50000' } } });
  if (positionals.length !== 1) throw new Error('usage: npm run import -- FILE.ndjson [--chunk LINES]');
  const log = logger().child({ process: 'import' });
  const dataSource = await openDatabase(env(), log, 'migrate');
  try {
    const started = performance.now();
    const report = await importNdjson(dataSource, new ActivityService(dataSource), createReadStream(positionals[0]), Number(values.chunk));
    for (const r of report.rejections.slice(0, 100)) console.error(`line ${r.line}: ${r.code}: ${r.reason}`);
    if (report.rejections.length > 100) console.error(`... and ${report.rejections.length - 100} more rejected lines`);
    const { rejections: _, ...summary } = report;
    console.log(JSON.stringify({ ...summary, seconds: Math.round((performance.now() - started) / 100) / 10 }));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`import: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
