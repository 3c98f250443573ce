import { randomBytes } from 'node:crypto';
import { startTestApi, type TestApi } from '../helpers/api';
import { logInAdmin, signUp } from '../helpers/graphql';

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestActivityInput!) {
    ingestActivity(input: $input) {
      __typename
      ... on IngestReport {
        accepted
        duplicates
        rejected
        rejections {
          list
          index
          externalId
          code
          reason
        }
      }
      ... on BatchTooLargeError {
        errorCode
        message
        maxItems
      }
    }
  }
`;
const CREATE_KEY = /* GraphQL */ `
  mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      ... on CreatedApiKey {
        key
      }
    }
  }
`;

describe('ingestActivity', () => {
  let api: TestApi;
  let connectorKey: string;
  const run = randomBytes(4).toString('hex');
  const id = (label: string) => `${run}-${label}`;
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    const token = await logInAdmin(api.client);
    connectorKey = (await api.client.ok(CREATE_KEY, { input: { name: 'connector', scopes: ['INGEST'] } }, { token })).createApiKey.key;
  });
  afterAll(() => api.stop());

  const ingest = async (input: object) => (await api.client.ok(INGEST, { input }, { apiKey: connectorKey })).ingestActivity;
  const count = async (table: 'posts' | 'interactions') =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE external_id LIKE $1`, [`${run}-%`]))[0].n as number;

  it('stores posts and interactions once, and recognises a resent batch as duplicates', async () => {
    const batch = {
      posts: [{ externalId: id('p1'), network: 'X', authorHandle: `@Alice_${run}`, topics: ['tech-ai', 'tech-startups'], postedAt: at(3) }],
      interactions: [
        {
          externalId: id('i1'),
          network: 'X',
          kind: 'RESHARE',
          actorHandle: `bob_${run}`,
          targetHandle: `alice_${run}`,
          postExternalId: id('p1'),
          occurredAt: at(2),
        },
        {
          externalId: id('i2'),
          network: 'X',
          kind: 'MENTION',
          actorHandle: `alice_${run}`,
          targetHandle: `carol_${run}`,
          postExternalId: id('p1'),
          occurredAt: at(2),
        },
        { externalId: id('i3'), network: 'X', kind: 'LIKE', actorHandle: `carol_${run}`, targetHandle: `ALICE_${run}`, occurredAt: at(1) },
      ],
    };
    expect(await ingest(batch)).toEqual({ __typename: 'IngestReport', accepted: 4, duplicates: 0, rejected: 0, rejections: [] });
    expect(await ingest(batch)).toEqual({ __typename: 'IngestReport', accepted: 0, duplicates: 4, rejected: 0, rejections: [] });
    expect([await count('posts'), await count('interactions')]).toEqual([1, 3]);

    // Handles are case-insensitive: alice, @Alice and ALICE are one actor; three actors in all.
    const actors = await api.dataSource.query(
      `SELECT count(DISTINCT x)::int AS n FROM (SELECT actor_id AS x FROM interactions WHERE external_id LIKE $1 UNION SELECT target_id FROM interactions WHERE external_id LIKE $1) a`,
      [`${run}-%`],
    );
    expect(actors[0].n).toBe(3);
    const [post] = await api.dataSource.query(`SELECT topic_ids FROM posts WHERE external_id = $1`, [id('p1')]);
    expect(post.topic_ids).toHaveLength(2);
  });

  it('rejects each bad item with its index and a reason, and stores the good ones', async () => {
    const ok = { network: 'INSTAGRAM', kind: 'LIKE', actorHandle: `dan_${run}`, targetHandle: `erin_${run}`, occurredAt: at(1) };
    const report = await ingest({
      posts: [
        { externalId: id('good-post'), network: 'INSTAGRAM', authorHandle: `erin_${run}`, topics: ['food-coffee'], postedAt: at(5) },
        {
          externalId: id('bad-topic'),
          network: 'INSTAGRAM',
          authorHandle: `erin_${run}`,
          topics: ['food-coffee', 'astrology'],
          postedAt: at(5),
        },
        { externalId: id('bad-network'), network: 'MYSPACE', authorHandle: `erin_${run}`, topics: [], postedAt: at(5) },
      ],
      interactions: [
        { ...ok, externalId: id('good-1') },
        { ...ok, externalId: id('bad-kind'), kind: 'POKE' },
        { ...ok, externalId: id('bad-date'), occurredAt: 'yesterday' },
        { ...ok, externalId: id('future'), occurredAt: at(-2) },
        { ...ok, externalId: id('self'), targetHandle: `@DAN_${run}` },
        { ...ok, externalId: id('no-post'), postExternalId: id('never-sent') },
        { ...ok, externalId: id('wrong-author'), targetHandle: `frank_${run}`, postExternalId: id('good-post') },
        { ...ok, externalId: id('good-2'), kind: 'REPLY', postExternalId: id('good-post') },
        { ...ok, externalId: id('good-2') },
        { ...ok, externalId: 'has space', kind: 'LIKE' },
      ],
    });
    expect(report).toMatchObject({ accepted: 3, duplicates: 1, rejected: 9 });
    expect(report.rejections.map((r: { list: string; index: number; code: string }) => [r.list, r.index, r.code])).toEqual([
      ['POSTS', 1, 'UNKNOWN_TOPIC'],
      ['POSTS', 2, 'UNKNOWN_NETWORK'],
      ['INTERACTIONS', 1, 'UNKNOWN_KIND'],
      ['INTERACTIONS', 2, 'BAD_DATE'],
      ['INTERACTIONS', 3, 'BAD_DATE'],
      ['INTERACTIONS', 4, 'SELF_INTERACTION'],
      ['INTERACTIONS', 5, 'UNKNOWN_POST'],
      ['INTERACTIONS', 6, 'POST_AUTHOR_MISMATCH'],
      ['INTERACTIONS', 9, 'BAD_EXTERNAL_ID'],
    ]);
    expect(report.rejections[0]).toMatchObject({ externalId: id('bad-topic'), reason: expect.stringContaining('"astrology"') });
    expect(report.rejections[2].reason).toBe('unknown kind "POKE"; use one of RESHARE, REPLY, MENTION, LIKE');
    const stored = await api.dataSource.query(`SELECT external_id FROM interactions WHERE external_id LIKE $1 ORDER BY 1`, [
      `${run}-good-%`,
    ]);
    expect(stored.map((r: { external_id: string }) => r.external_id)).toEqual([id('good-1'), id('good-2')]);
  });

  it('refuses a batch over 10,000 items whole', async () => {
    const before = await count('interactions');
    const interactions = Array.from({ length: 10_001 }, (_, i) => ({
      externalId: id(`big-${i}`),
      network: 'X',
      kind: 'LIKE',
      actorHandle: `a${i}_${run}`,
      targetHandle: `t_${run}`,
      occurredAt: at(1),
    }));
    expect(await ingest({ interactions })).toMatchObject({
      __typename: 'BatchTooLargeError',
      errorCode: 'BATCH_TOO_LARGE',
      maxItems: 10_000,
    });
    expect(await count('interactions')).toBe(before);
  });

  it('takes 10,000 items in one batch', async () => {
    const interactions = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: id(`full-${i}`),
      network: 'TIKTOK',
      kind: i % 2 ? 'LIKE' : 'RESHARE',
      actorHandle: `fan${i % 700}_${run}`,
      targetHandle: `star${i % 13}_${run}`,
      occurredAt: at(i % 80),
    }));
    expect(await ingest({ interactions })).toMatchObject({ accepted: 10_000, duplicates: 0, rejected: 0 });
  });

  it('lets concurrent batches that share actors all land, without deadlocks', async () => {
    const batches = Array.from({ length: 6 }, (_, b) => ({
      interactions: Array.from({ length: 300 }, (_, i) => ({
        externalId: id(`conc-${b}-${i}`),
        network: 'YOUTUBE',
        kind: 'LIKE',
        actorHandle: `viewer${(i * 7 + b) % 50}_${run}`,
        targetHandle: `creator${i % 5}_${run}`,
        occurredAt: at(1),
      })),
    }));
    const reports = await Promise.all(batches.map(ingest));
    expect(reports.map((r) => r.accepted)).toEqual([300, 300, 300, 300, 300, 300]);
    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM actors a WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.external_id LIKE $1 AND (i.actor_id = a.id OR i.target_id = a.id))`,
      [`${run}-conc-%`],
    );
    expect(n).toBe(55);
  });

  it('links a connected social account to the same graph node as the ingested handle', async () => {
    const influencer = await signUp(api.client, 'INFLUENCER');
    await ingest({
      interactions: [
        { externalId: id('link'), network: 'X', kind: 'LIKE', actorHandle: `fan_${run}`, targetHandle: `Gina_${run}`, occurredAt: at(1) },
      ],
    });
    await api.client.ok(
      `mutation($input: ConnectSocialAccountInput!) { connectSocialAccount(input: $input) { __typename } }`,
      { input: { network: 'X', handle: `@gina_${run}`, followers: 10, following: 10, accountCreatedAt: '2020-01-01T00:00:00Z' } },
      influencer,
    );
    const [row] = await api.dataSource.query(
      `SELECT s.actor_id = i.target_id AS same FROM social_accounts s, interactions i WHERE s.handle = $1 AND i.external_id = $2`,
      [`gina_${run}`, id('link')],
    );
    expect(row.same).toBe(true);
  });

  it('is only for keys with the INGEST scope', async () => {
    const brand = await signUp(api.client, 'BRAND');
    const brandKey = (await api.client.ok(CREATE_KEY, { input: { name: 'k', scopes: ['SEARCH'] } }, brand)).createApiKey.key;
    for (const who of [{ apiKey: brandKey }, { token: brand.token }, { token: await logInAdmin(api.client) }]) {
      const response = await api.client.request(INGEST, { input: { posts: [] } }, who);
      expect(response.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    expect((await api.client.request(INGEST, { input: { posts: [] } })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});
