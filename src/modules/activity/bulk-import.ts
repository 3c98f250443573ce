import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { PoolClient } from 'pg';
import { withPgClient } from '../../core/database';
import { copyIn } from '../../core/pg-binary-copy';
import { ActivityService, mergeStaged, STAGE_DDL, storeAccounts } from './activity.service';
import { RejectionCode } from './activity.types';
import {
  isRejection,
  validateAccount,
  validateInteraction,
  validatePost,
  type Rejection,
  type ValidAccount,
  type ValidInteraction,
  type ValidPost,
} from './ingest-validation';

export interface ImportReport {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Every rejected line (1-based), with the reason. */
  rejections: Array<Rejection & { line: number }>;
}

/**
 * Imports an NDJSON file of `{"type":"post", ...}`, `{"type":"interaction", ...}` and
 * `{"type":"account", ...}` lines (the fields of ingestActivity's items). Lines are validated like
 * API items; posts and interactions are loaded with binary COPY into the same staging tables and
 * merged by the same statements, account snapshots stored (and ownership codes in their bios
 * checked) by the same statements as ingestActivity's, one transaction per chunk. Posts must come
 * before (or in the same chunk as) the interactions that refer to them.
 */
export async function importNdjson(
  dataSource: DataSource,
  activity: ActivityService,
  input: Readable,
  chunkLines = 50_000,
): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
  const topics = await activity.topicMap();
  const reject = (r: Rejection) => {
    report.rejected++;
    report.rejections.push({ ...r, line: r.index });
  };
  let posts: ValidPost[] = [];
  let interactions: ValidInteraction[] = [];
  let accounts: ValidAccount[] = [];

  const flush = async () => {
    if (!posts.length && !interactions.length && !accounts.length) return;
    const [p, i, a] = [posts, interactions, accounts];
    posts = [];
    interactions = [];
    accounts = [];
    const { merged, storedAccounts } = await withPgClient(dataSource, async (client, manager) => {
      await client.query('BEGIN');
      try {
        let merged = null;
        if (p.length || i.length) {
          for (const ddl of STAGE_DDL) await client.query(ddl);
          await stageWithCopy(client, p, i);
          merged = await mergeStaged(manager);
        }
        const storedAccounts = await storeAccounts(manager, a);
        await client.query('COMMIT');
        return { merged, storedAccounts };
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
    report.accepted += storedAccounts;
    report.duplicates += a.length - storedAccounts;
    if (!merged) return;
    report.accepted += merged.acceptedPosts + merged.acceptedInteractions;
    report.duplicates += merged.duplicates;
    merged.rejections.forEach(reject);
  };

  const now = Date.now();
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    const line = ++report.lines;
    if (!text.trim()) continue;
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(text);
    } catch {
      reject({ index: line, externalId: null, code: RejectionCode.MALFORMED_ITEM, reason: 'the line is not valid JSON' });
      continue;
    }
    const externalId = typeof item.externalId === 'string' ? item.externalId : null;
    const shapeError = missingFields(item);
    if (shapeError) {
      reject({ index: line, externalId, code: RejectionCode.MALFORMED_ITEM, reason: shapeError });
      continue;
    }
    const result =
      item.type === 'post'
        ? validatePost(item as never, line, topics, now)
        : item.type === 'account'
          ? validateAccount(item as never, line, now)
          : validateInteraction(item as never, line, now);
    if (isRejection(result)) reject(result);
    else if (item.type === 'post') posts.push(result as ValidPost);
    else if (item.type === 'account') accounts.push(result as ValidAccount);
    else interactions.push(result as ValidInteraction);
    if (posts.length + interactions.length + accounts.length >= chunkLines) await flush();
  }
  await flush();
  report.rejections.sort((a, b) => a.line - b.line);
  return report;
}

const FIELDS = {
  post: ['externalId', 'network', 'authorHandle', 'postedAt'],
  interaction: ['externalId', 'network', 'kind', 'actorHandle', 'targetHandle', 'occurredAt'],
  account: ['network', 'handle', 'createdAt'],
};

function missingFields(item: Record<string, unknown>): string | null {
  if (item.type !== 'post' && item.type !== 'interaction' && item.type !== 'account') {
    return 'type must be "post", "interaction" or "account"';
  }
  const missing = FIELDS[item.type].filter((f) => typeof item[f] !== 'string');
  if (item.type === 'post' && !Array.isArray(item.topics ?? [])) missing.push('topics');
  if (item.type === 'post' && item.topics === undefined) item.topics = [];
  return missing.length ? `missing or not a string: ${missing.join(', ')}` : null;
}

async function stageWithCopy(client: PoolClient, posts: ValidPost[], interactions: ValidInteraction[]): Promise<void> {
  await copyIn(client, 'stage_posts', ['idx', 'network', 'external_id', 'author_hash', 'posted_at', 'topic_ids'], function* (w) {
    for (const p of posts) {
      w.row(200 + p.externalId.length * 4)
        .int32(p.index)
        .text(p.network)
        .text(p.externalId)
        .bytes(p.authorHash)
        .timestampMs(p.postedAt.getTime())
        .int16Array(p.topicIds);
      yield;
    }
  });
  const interactionColumns = ['idx', 'network', 'external_id', 'kind', 'actor_hash', 'target_hash', 'post_external_id', 'occurred_at'];
  await copyIn(client, 'stage_interactions', interactionColumns, function* (w) {
    for (const x of interactions) {
      w.row(200 + (x.externalId.length + (x.postExternalId?.length ?? 0)) * 4)
        .int32(x.index)
        .text(x.network)
        .text(x.externalId)
        .int16(x.kind)
        .bytes(x.actorHash)
        .bytes(x.targetHash);
      if (x.postExternalId === null) w.null();
      else w.text(x.postExternalId);
      w.timestampMs(x.occurredAt.getTime());
      yield;
    }
  });
}
