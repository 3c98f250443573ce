import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { ActivityService } from '../../src/modules/activity/activity.service';
import { importNdjson } from '../../src/modules/activity/bulk-import';
import { handleHash } from '../../src/modules/activity/actor-key';

describe('NDJSON bulk import (binary COPY into staging, shared merge)', () => {
  let dataSource: DataSource;
  const run = randomBytes(4).toString('hex');
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL!, 3).initialize();
  });
  afterAll(() => dataSource.destroy());

  const file = (lines: Array<object | string>) =>
    Readable.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');

  it('imports valid lines across chunks, reports each bad line by number, and is idempotent', async () => {
    const lines: Array<object | string> = [
      { type: 'post', externalId: `${run}-p1`, network: 'X', authorHandle: `star_${run}`, topics: ['music-jazz'], postedAt: day(4) },
      ...Array.from({ length: 25 }, (_, i) => ({
        type: 'interaction',
        externalId: `${run}-i${i}`,
        network: 'X',
        kind: i % 3 ? 'LIKE' : 'RESHARE',
        actorHandle: `fan${i}_${run}`,
        targetHandle: `star_${run}`,
        postExternalId: i % 2 ? `${run}-p1` : undefined,
        occurredAt: day(2),
      })),
      'not json at all',
      { type: 'comment', externalId: 'x' },
      {
        type: 'interaction',
        externalId: `${run}-bad-kind`,
        network: 'X',
        kind: 'WINK',
        actorHandle: 'a',
        targetHandle: 'b',
        occurredAt: day(1),
      },
      {
        type: 'interaction',
        externalId: `${run}-no-post`,
        network: 'X',
        kind: 'LIKE',
        actorHandle: 'a',
        targetHandle: `star_${run}`,
        postExternalId: `${run}-nope`,
        occurredAt: day(1),
      },
      '',
      { type: 'post', externalId: `${run}-p2`, network: 'X', authorHandle: `star_${run}`, postedAt: day(3) },
    ];
    const report = await importNdjson(dataSource, new ActivityService(dataSource), file(lines), 10);
    expect(report).toMatchObject({ lines: 32, accepted: 27, duplicates: 0, rejected: 4 });
    expect(report.rejections.map((r) => [r.line, r.code])).toEqual([
      [27, 'MALFORMED_ITEM'],
      [28, 'MALFORMED_ITEM'],
      [29, 'UNKNOWN_KIND'],
      [30, 'UNKNOWN_POST'],
    ]);
    expect(report.rejections[0].reason).toBe('the line is not valid JSON');
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM interactions WHERE external_id LIKE $1 AND post_id IS NOT NULL`,
      [`${run}-i%`],
    );
    expect(n).toBe(12);

    const again = await importNdjson(dataSource, new ActivityService(dataSource), file(lines), 1000);
    expect(again).toMatchObject({ accepted: 0, duplicates: 27, rejected: 4 });
  });

  it('stores account snapshots from account lines, the newest observation winning, and rejects bad ones by line', async () => {
    const account = (observedDaysAgo: number, followers: number) => ({
      type: 'account',
      network: 'X',
      handle: `@Acct_${run}`,
      followers,
      following: 120,
      posts: 340,
      createdAt: day(800),
      verified: false,
      observedAt: day(observedDaysAgo),
    });
    const lines: Array<object | string> = [
      account(2, 1500),
      account(5, 900), // older: loses to the line above
      { type: 'account', network: 'X', handle: `bad_${run}`, followers: -1, following: 0, posts: 0, createdAt: day(10), verified: false },
      { type: 'account', network: 'X', followers: 1, following: 0, posts: 0, createdAt: day(10), verified: false },
    ];
    const report = await importNdjson(dataSource, new ActivityService(dataSource), file(lines), 1);
    expect(report).toMatchObject({ lines: 4, accepted: 1, duplicates: 1, rejected: 2 });
    expect(report.rejections.map((r) => [r.line, r.code])).toEqual([
      [3, 'BAD_COUNT'],
      [4, 'MALFORMED_ITEM'],
    ]);
    const rows = await dataSource.query(
      `SELECT s.followers, s.following, s.posts FROM account_snapshots s JOIN actors a ON a.id = s.actor_id
       WHERE a.network = 'X' AND a.handle_hash = $1`,
      [handleHash('X', `acct_${run}`)],
    );
    expect(rows).toEqual([{ followers: 1500, following: 120, posts: 340 }]);

    const again = await importNdjson(dataSource, new ActivityService(dataSource), file(lines), 1000);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
  });
});
