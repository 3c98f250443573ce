import { randomBytes } from 'node:crypto';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { handleHash } from '../../src/modules/activity/actor-key';
import { type AccountSnapshotInput, CONNECT, connectAccount, connectorKey, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp, type SignedUp } from '../helpers/graphql';
import { startTestWorker, suitePrefix } from '../helpers/worker';

const INGEST = `mutation($input: IngestActivityInput!) {
  ingestActivity(input: $input) {
    __typename
    ... on IngestReport {
      accepted duplicates rejected
      lists { list accepted duplicates rejected }
      rejections { list index externalId code reason }
    }
  }
}`;
const VERIFY = `mutation($id: ID!) {
  verifySocialAccount(id: $id) {
    __typename
    ... on SocialAccount { id handle verification { status code verifiedAt method } }
    ... on ErrorResult { errorCode message }
  }
}`;
const MY_ACCOUNTS = `{ me { influencer { socialAccounts { id handle verification { status code verifiedAt method } } } } }`;
const INFLUENCER = `query($id: ID!) { influencer(id: $id) { socialAccounts { id handle verification { status code method } } } }`;
const BY_HANDLE = `query($handle: String!) { influencerByHandle(network: X, handle: $handle) { id score } }`;
const ERASE = `mutation { eraseMyData { __typename } }`;
const RECOMPUTE = `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id } ... on ErrorResult { message } } }`;
const RUN = `query($id: ID!) { scoreRun(id: $id) { status error } }`;
const SCORE = `query($id: ID!) { influencer(id: $id) { scoredOn score reach authority } }`;

const CODE = /^perks-[a-z2-7]{10}$/;
const DAY_MS = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const dateOf = (daysAgo: number) => ago(daysAgo).slice(0, 10);

interface Person extends SignedUp {
  influencerId: string;
}

describe('account evidence and proof of ownership (real Postgres, Redis and BullMQ worker)', () => {
  const tag = randomBytes(3).toString('hex');
  const h = (name: string) => `${name}_${tag}`;
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let worker: WorkerRuntime;
  let admin: string;
  let connector: string;

  const ingest = async (input: object) => (await api.client.ok(INGEST, { input }, { apiKey: connector })).ingestActivity;
  const person = async (name: string): Promise<Person> => {
    const signed = await signUp(api.client, 'INFLUENCER', { name: `${name} ${tag}` });
    const [row] = await api.dataSource.query(`SELECT id FROM influencers WHERE user_id = $1`, [signed.userId]);
    return { ...signed, influencerId: row.id };
  };
  const myAccounts = async (who: SignedUp) => (await api.client.ok(MY_ACCOUNTS, {}, who)).me.influencer.socialAccounts;
  const linkOf = async (id: string) =>
    (
      await api.dataSource.query(
        `SELECT status, verification_code AS code, verification_method AS method, verified_at FROM social_accounts WHERE id = $1`,
        [id],
      )
    )[0];
  const snapshotOf = async (handle: string) =>
    (
      await api.dataSource.query(
        `SELECT s.* FROM account_snapshots s JOIN actors a ON a.id = s.actor_id WHERE a.network = 'X' AND a.handle_hash = $1`,
        [handleHash('X', handle)],
      )
    )[0];
  const runScores = async (date: string) => {
    const { recomputeScores } = await api.client.ok(RECOMPUTE, { date }, { token: admin });
    expect(recomputeScores.__typename).toBe('ScoreRun');
    for (let i = 0; i < 400; i++) {
      const { scoreRun } = await api.client.ok(RUN, { id: recomputeScores.id }, { token: admin });
      if (scoreRun.status === 'SUCCEEDED') return;
      if (scoreRun.status === 'FAILED') throw new Error(`score run failed: ${scoreRun.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('score run did not finish');
  };
  const scoreOf = async (who: Person) => (await api.client.ok(SCORE, { id: who.influencerId }, { token: admin })).influencer;

  beforeAll(async () => {
    database = await createScratchDatabase('ownership');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('ownership') });
    worker = await startTestWorker(api);
    admin = await logInAdmin(api.client);
    connector = await connectorKey(api.client, admin);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await database?.drop();
  });

  describe('account snapshots from connectors', () => {
    it('counts accepted, duplicate and rejected snapshots, each bad item refused on its own with a reason', async () => {
      const ok = (handle: string, extra: Partial<AccountSnapshotInput> = {}) => establishedAccount('X', h(handle), extra);
      const now = Date.now(); // one clock for the batch sent twice
      const ago = (days: number) => new Date(now - days * DAY_MS).toISOString();
      const batch = {
        accounts: [
          ok('alpha', { observedAt: ago(1) }),
          ok('beta'),
          ok('alpha', { observedAt: ago(2), followers: 1 }), // an older snapshot of alpha in the same batch
          ok('bad_network', { network: 'MYSPACE' }),
          ok('negative', { followers: -1 }),
          ok('fraction', { posts: 1.5 }),
          ok('huge', { following: 3e9 }),
          ok('future', { observedAt: ago(-1 / 24) }),
          ok('reborn', { createdAt: ago(1), observedAt: ago(2) }),
          ok('chatty', { bio: 'x'.repeat(2001) }),
          ok('bad handle!'),
          ok('undated', { createdAt: '2016-05-01' }),
          ok('skewed', { observedAt: new Date(Date.now() + 60_000).toISOString() }), // within clock skew
        ],
      };
      const report = await ingest(batch);
      expect(report).toMatchObject({ __typename: 'IngestReport', accepted: 3, duplicates: 1, rejected: 9 });
      expect(report.lists).toEqual([
        { list: 'POSTS', accepted: 0, duplicates: 0, rejected: 0 },
        { list: 'INTERACTIONS', accepted: 0, duplicates: 0, rejected: 0 },
        { list: 'ACCOUNTS', accepted: 3, duplicates: 1, rejected: 9 },
      ]);
      expect(report.rejections.map((r: { list: string; index: number; code: string }) => [r.list, r.index, r.code])).toEqual([
        ['ACCOUNTS', 3, 'UNKNOWN_NETWORK'],
        ['ACCOUNTS', 4, 'BAD_COUNT'],
        ['ACCOUNTS', 5, 'BAD_COUNT'],
        ['ACCOUNTS', 6, 'BAD_COUNT'],
        ['ACCOUNTS', 7, 'BAD_DATE'],
        ['ACCOUNTS', 8, 'BAD_DATE'],
        ['ACCOUNTS', 9, 'BIO_TOO_LONG'],
        ['ACCOUNTS', 10, 'BAD_HANDLE'],
        ['ACCOUNTS', 11, 'BAD_DATE'],
      ]);
      expect(report.rejections[1]).toMatchObject({ externalId: null, reason: 'followers must be a whole number from 0 to 2,000,000,000' });
      expect((await snapshotOf(h('alpha'))).followers).toBe(800);

      // Sent again: nothing new, every valid item a duplicate, the same rejections.
      const again = await ingest(batch);
      expect(again).toMatchObject({ accepted: 0, duplicates: 4, rejected: 9 });
      // Posts, interactions and accounts in one batch are counted per list.
      const mixed = await ingest({
        posts: [{ externalId: `p-${tag}`, network: 'X', authorHandle: h('beta'), topics: [], postedAt: ago(1) }],
        interactions: [
          { externalId: `i-${tag}`, network: 'X', kind: 'LIKE', actorHandle: h('alpha'), targetHandle: h('beta'), occurredAt: ago(1) },
        ],
        accounts: [ok('gamma'), ok('beta', { observedAt: ago(3) })],
      });
      expect(mixed).toMatchObject({ accepted: 3, duplicates: 1, rejected: 0 });
      expect(mixed.lists).toEqual([
        { list: 'POSTS', accepted: 1, duplicates: 0, rejected: 0 },
        { list: 'INTERACTIONS', accepted: 1, duplicates: 0, rejected: 0 },
        { list: 'ACCOUNTS', accepted: 1, duplicates: 1, rejected: 0 },
      ]);
    });

    it('keeps the newest snapshot of an account; an older one arriving late changes nothing', async () => {
      const handle = h('delta');
      const now = Date.now();
      const at = (days: number, followers: number) =>
        establishedAccount('X', handle, { followers, observedAt: new Date(now - days * DAY_MS).toISOString() });
      expect(await ingest({ accounts: [at(5, 100)] })).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await ingest({ accounts: [at(3, 300)] })).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await ingest({ accounts: [at(4, 400)] })).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(await ingest({ accounts: [at(3, 333)] })).toMatchObject({ accepted: 0, duplicates: 1 });
      const stored = await snapshotOf(handle);
      expect(stored.followers).toBe(300);
      expect(stored.observed_at.toISOString().slice(0, 13)).toBe(ago(3).slice(0, 13));
      // observedAt defaults to now: newer than anything held. The same figures again are a duplicate.
      const { observedAt: _, ...current } = at(0, 500);
      expect(await ingest({ accounts: [current] })).toMatchObject({ accepted: 1 });
      expect(await ingest({ accounts: [current] })).toMatchObject({ accepted: 0, duplicates: 1 });
      expect((await snapshotOf(handle)).followers).toBe(500);
    });

    it('keeps only the figures of an account whose owner never signed up: no handle, no bio', async () => {
      const handle = h('Stranger.Profile');
      const bio = `Opinions are mine ${tag} ${randomBytes(6).toString('hex')}`;
      await ingestAccounts(api.client, connector, [
        establishedAccount('X', `@${handle}`, { followers: 4321, following: 12, posts: 99, verified: true, bio }),
      ]);
      const stored = await snapshotOf(handle.toLowerCase());
      expect(Object.keys(stored).sort()).toEqual(
        ['account_created_at', 'actor_id', 'followers', 'following', 'observed_at', 'posts', 'verified'].sort(),
      );
      expect(stored).toMatchObject({ followers: 4321, following: 12, posts: 99, verified: true });
      // Neither the handle nor the bio is anywhere in the database.
      const tables: Array<{ name: string }> = await api.dataSource.query(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
      );
      for (const { name } of tables) {
        const [hit] = await api.dataSource.query(
          `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(lower(t::text), $1) > 0 OR strpos(lower(t::text), $2) > 0`,
          [handle.toLowerCase(), bio.toLowerCase()],
        );
        expect([name, hit.n]).toEqual([name, 0]);
      }
    });
  });

  describe('proof of ownership', () => {
    it('links an account as PENDING with a one-time code that only its influencer sees', async () => {
      const ines = await person('ines');
      const { connectSocialAccount } = await api.client.ok(
        CONNECT,
        { input: { network: 'X', handle: `@${h('Ines')}`, followers: 50, following: 5, accountCreatedAt: '2020-01-01T00:00:00Z' } },
        ines,
      );
      expect(connectSocialAccount.verification).toEqual({
        status: 'PENDING',
        code: expect.stringMatching(CODE),
        verifiedAt: null,
        method: null,
      });
      const code = connectSocialAccount.verification.code;
      // Connecting again refreshes the declared figures and keeps the code already pasted.
      const again = await connectAccount(api.client, ines, { network: 'X', handle: h('ines'), followers: 60 });
      expect(again).toEqual({ id: connectSocialAccount.id, code });
      expect(await myAccounts(ines)).toEqual([
        { id: connectSocialAccount.id, handle: h('ines'), verification: { status: 'PENDING', code, verifiedAt: null, method: null } },
      ]);

      // The operator sees the link (to check it) but not the code; a brand does not see the link at all.
      const seenByAdmin = await api.client.ok(INFLUENCER, { id: ines.influencerId }, { token: admin });
      expect(seenByAdmin.influencer.socialAccounts).toEqual([
        { id: connectSocialAccount.id, handle: h('ines'), verification: { status: 'PENDING', code: null, method: null } },
      ]);
      const brand = await signUp(api.client, 'BRAND');
      expect((await api.client.ok(INFLUENCER, { id: ines.influencerId }, brand)).influencer.socialAccounts).toEqual([]);
      const byHandle = await api.client.request(BY_HANDLE, { handle: h('ines') }, brand);
      expect(byHandle.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // Another influencer linking the same account gets a link and a code of their own.
      const other = await connectAccount(api.client, await person('other'), { network: 'X', handle: h('ines') });
      expect(other.code).toMatch(CODE);
      expect(other.code).not.toBe(code);
    });

    it("verifies the link whose code a connector sees in the account's bio, and revokes the squatter's", async () => {
      const [owner, squatter] = [await person('owner'), await person('squatter')];
      const handle = h('popular');
      const squatted = await connectAccount(api.client, squatter, { network: 'X', handle });
      const owned = await connectAccount(api.client, owner, { network: 'X', handle: handle.toUpperCase() });
      // A bio holding nobody's code, or a code of another account, proves nothing.
      const elsewhere = await connectAccount(api.client, owner, { network: 'X', handle: h('elsewhere') });
      await ingestAccounts(api.client, connector, [
        establishedAccount('X', handle, { bio: `perks-aaaaaaaaaa and ${elsewhere.code}`, observedAt: ago(1) }),
      ]);
      expect((await linkOf(owned.id)).status).toBe('PENDING');
      expect((await linkOf(elsewhere.id)).status).toBe('PENDING');

      // The owner pastes the code (a connector may change its case); the next snapshot proves it.
      await ingestAccounts(api.client, connector, [establishedAccount('X', handle, { bio: `Chef. ${owned.code.toUpperCase()} 🍳` })]);
      const mine = (await myAccounts(owner)).find((a: { id: string }) => a.id === owned.id);
      expect(mine.verification).toEqual({ status: 'VERIFIED', code: null, verifiedAt: expect.any(String), method: 'BIO' });
      expect(await linkOf(squatted.id)).toEqual({ status: 'REVOKED', code: null, method: null, verified_at: null });
      expect((await myAccounts(squatter))[0].verification).toEqual({ status: 'REVOKED', code: null, verifiedAt: null, method: null });
      const found = await api.client.ok(BY_HANDLE, { handle }, { token: admin });
      expect(found.influencerByHandle.id).toBe(owner.influencerId);

      // The squatter can neither link it again nor prove it with their spent code.
      const refused = await api.client.ok(
        CONNECT,
        { input: { network: 'X', handle, followers: 1, following: 1, accountCreatedAt: '2020-01-01T00:00:00Z' } },
        squatter,
      );
      expect(refused.connectSocialAccount).toMatchObject({ __typename: 'HandleTakenError', errorCode: 'HANDLE_TAKEN' });
      await ingestAccounts(api.client, connector, [establishedAccount('X', handle, { bio: squatted.code })]);
      expect((await linkOf(squatted.id)).status).toBe('REVOKED');
      expect((await linkOf(owned.id)).method).toBe('BIO');
    });

    it('lets the real owner prove an account someone linked before ownership was checked (LEGACY)', async () => {
      const [early, owner] = [await person('early'), await person('realowner')];
      const handle = h('legacy');
      const old = await connectAccount(api.client, early, { network: 'X', handle });
      // As the migration left links made before it.
      await api.dataSource.query(
        `UPDATE social_accounts SET status = 'VERIFIED', verification_code = NULL, verified_at = now(), verification_method = 'LEGACY'
         WHERE id = $1`,
        [old.id],
      );
      const mine = await connectAccount(api.client, owner, { network: 'X', handle });
      expect(mine.code).toMatch(CODE);
      await ingestAccounts(api.client, connector, [establishedAccount('X', handle, { bio: mine.code })]);
      expect([(await linkOf(mine.id)).method, (await linkOf(old.id)).status]).toEqual(['BIO', 'REVOKED']);
    });

    it('proves a bio code in the batch that carries it, one owner when two links race', async () => {
      const racers = await Promise.all([person('racer0'), person('racer1'), person('racer2')]);
      const handle = h('contested');
      const links = await Promise.all(racers.map((r) => connectAccount(api.client, r, { network: 'X', handle })));
      // Three connectors each see a bio holding one of the codes, at once.
      await Promise.all(links.map((l) => ingestAccounts(api.client, connector, [establishedAccount('X', handle, { bio: l.code })])));
      const states = await Promise.all(links.map((l) => linkOf(l.id)));
      expect(states.map((s) => s.status).sort()).toEqual(['REVOKED', 'REVOKED', 'VERIFIED']);
    });

    it('lets an operator verify a link, revoking the others; a revoked link is PENDING again, with a new code, once nobody owns the account', async () => {
      const [ana, bea] = [await person('ana'), await person('bea')];
      const handle = h('checked');
      const anas = await connectAccount(api.client, ana, { network: 'X', handle });
      const beas = await connectAccount(api.client, bea, { network: 'X', handle });
      const { verifySocialAccount } = await api.client.ok(VERIFY, { id: beas.id }, { token: admin });
      expect(verifySocialAccount).toEqual({
        __typename: 'SocialAccount',
        id: beas.id,
        handle,
        verification: { status: 'VERIFIED', code: null, verifiedAt: expect.any(String), method: 'OPERATOR' },
      });
      expect((await linkOf(anas.id)).status).toBe('REVOKED');
      // Asked again, nothing changes.
      expect((await api.client.ok(VERIFY, { id: beas.id }, { token: admin })).verifySocialAccount.verification.verifiedAt).toBe(
        verifySocialAccount.verification.verifiedAt,
      );
      // An account proven through its bio is not the operator's to give away.
      const proven = h('proven');
      const [cleo, dan] = [await person('cleo'), await person('dan')];
      const cleos = await connectAccount(api.client, cleo, { network: 'X', handle: proven });
      const dans = await connectAccount(api.client, dan, { network: 'X', handle: proven });
      await ingestAccounts(api.client, connector, [establishedAccount('X', proven, { bio: cleos.code })]);
      const overridden = await api.client.ok(VERIFY, { id: dans.id }, { token: admin });
      expect(overridden.verifySocialAccount).toMatchObject({ __typename: 'HandleTakenError', errorCode: 'HANDLE_TAKEN' });
      expect([(await linkOf(cleos.id)).method, (await linkOf(dans.id)).status]).toEqual(['BIO', 'REVOKED']);

      const missing = await api.client.request(VERIFY, { id: '00000000-0000-4000-8000-000000000000' }, { token: admin });
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.client.request(VERIFY, { id: anas.id }, bea)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

      // The owner leaves (erasing their data): the account is nobody's, and Ana may try again.
      expect((await api.client.ok(ERASE, {}, bea)).eraseMyData.__typename).toBe('ErasureReceipt');
      const retried = await connectAccount(api.client, ana, { network: 'X', handle });
      expect(retried.id).toBe(anas.id);
      expect(retried.code).toMatch(CODE);
      expect(retried.code).not.toBe(anas.code);
      expect((await linkOf(anas.id)).status).toBe('PENDING');
    });

    it('gives a squatter nothing from a popular account they linked but never proved, and its owner everything once proved', async () => {
      const [squatter, control, owner] = [await person('sq'), await person('control'), await person('star')];
      const star = h('star');
      const fans = Array.from({ length: 40 }, (_, i) => h(`stan${i}`));
      await ingestAccounts(api.client, connector, [establishedAccount('X', star), ...fans.map((f) => establishedAccount('X', f))]);
      const report = await ingest({
        posts: [{ externalId: `star-post-${tag}`, network: 'X', authorHandle: star, topics: ['music-pop'], postedAt: ago(20) }],
        interactions: fans.map((fan, i) => ({
          externalId: `star-${tag}-${i}`,
          network: 'X',
          kind: 'RESHARE',
          actorHandle: fan,
          targetHandle: star,
          postExternalId: `star-post-${tag}`,
          occurredAt: ago(3 + (i % 15)),
        })),
      });
      expect(report).toMatchObject({ accepted: 41, rejected: 0 });
      const squatted = await connectAccount(api.client, squatter, { network: 'X', handle: star, followers: 2_000_000, verified: true });

      await runScores(dateOf(1));
      const [s, c] = [await scoreOf(squatter), await scoreOf(control)];
      expect(s.scoredOn).toBe(dateOf(1));
      expect({ score: s.score, reach: s.reach, authority: s.authority }).toEqual({
        score: c.score,
        reach: c.reach,
        authority: c.authority,
      });
      expect((await api.client.request(BY_HANDLE, { handle: star }, { token: admin })).errors?.[0].extensions?.code).toBe('NOT_FOUND');

      // The real owner proves the account: from the next run it is theirs, and still not the squatter's.
      const owned = await connectAccount(api.client, owner, { network: 'X', handle: star });
      await ingestAccounts(api.client, connector, [establishedAccount('X', star, { bio: `music ${owned.code}` })]);
      expect((await linkOf(squatted.id)).status).toBe('REVOKED');
      await runScores(dateOf(0));
      const [s2, c2, o2] = [await scoreOf(squatter), await scoreOf(control), await scoreOf(owner)];
      expect(s2.score).toBe(c2.score);
      expect(o2.score).toBeGreaterThan(c2.score + 10);
    });
  });
});
