import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { RUN_LOCK } from '../../src/core/locks';
import { logger } from '../../src/core/logger';
import { PrivacyService } from '../../src/modules/privacy/privacy.service';
import { computeScores, type ModelResult } from '../../src/modules/scoring/score-model';
import { loadModelInput, windowOf } from '../../src/modules/scoring/score-run-loader';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectorKey, connectVerified, establishedFans, xInteraction } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { campaignInput, createdCampaign } from '../helpers/fixtures';
import { everyTable, identifyingValues } from '../helpers/personal-data';
import { LOG_IN, logInAdmin, signUp, type SignedUp, type Person } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';
import { day, dateOf, uuidOf } from '../helpers/dates';

const ERASE = `mutation {
  eraseMyData {
    __typename
    ... on ErasureReceipt {
      erasedAt socialAccounts scores topicScores anonymousNodes activityUnlinked offersWithdrawn claimsKept activeClaimsKept notifications
    }
    ... on ErrorResult { errorCode message }
  }
}`;
const ME = `{ me { id email influencer { id displayName } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) { claimOffer(offerId: $offerId, idempotencyKey: $key) { __typename ... on Claim { id code status } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;
const STATS = `query($id: ID!) { campaign(id: $id) { remaining stats { offered outstanding claimed redeemed cancelled withdrawn remaining } } }`;

type Row = Record<string, unknown>;

describe('eraseMyData (real Postgres and Redis)', () => {
  const tag = randomBytes(4).toString('hex');
  // Everything about the person to erase carries "v1c" and the tag, so a leftover is easy to find.
  const victimName = `Victoria V1c ${tag}`;
  const victimHandles = { X: `v1c_${tag}`, INSTAGRAM: `v1c.gram_${tag}` } as const;
  const victimIds = `v1c-${tag}`; // prefix of the network ids of their posts and of interactions with them
  const others = ['hub', 'ana', 'ben'] as const;
  const handleOf = (name: string) => `${name}_${tag}`;

  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let admin: string;
  let connector: string;
  let brand: SignedUp;
  let victim: Person;
  let people: Record<string, Person>;
  let claimCampaign: string;
  let openCampaign: string;
  let victimClaim: { id: string; code: string };
  let idempotencyKey: string;

  const person = async (name: string, extra: Record<string, unknown> = {}): Promise<Person> => {
    const signed = await signUp(api.client, 'INFLUENCER', { name, ...extra });
    const [row] = await api.dataSource.query(`SELECT id FROM influencers WHERE user_id = $1`, [signed.userId]);
    return { ...signed, influencerId: row.id };
  };
  /** Links the account and proves it (a connector reads the code in its bio): only proven accounts are anonymised. */
  const connect = (who: Person, network: string, handle: string, verified = false) =>
    connectVerified(
      api.client,
      who,
      connector,
      { network, handle, followers: 1200, following: 150, accountCreatedAt: '2015-01-01T00:00:00Z', verified },
      { verified, createdAt: '2015-01-01T00:00:00Z' },
    );
  const campaign = (name: string): Promise<string> =>
    createdCampaign(api, brand, {
      ...campaignInput(name),
      perk: { title: 'Lounge pass', kind: 'ACCESS', valueCents: 5000, currency: 'EUR' },
    });
  const offerOf = async (campaignId: string, who: Person): Promise<string> =>
    (await api.dataSource.query(`SELECT id FROM offers WHERE campaign_id = $1 AND influencer_id = $2`, [campaignId, who.influencerId]))[0]
      .id;
  const runScores = async (daysAgo: number) => {
    const run = await api.services.scoring.requestRun(dateOf(daysAgo), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
    return run.id;
  };
  const stats = async (id: string) => (await api.client.ok(STATS, { id }, brand)).campaign;
  const snapshotsOf = async (nodes: number[]): Promise<number> =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM account_snapshots WHERE actor_id = ANY($1::int[])`, [nodes]))[0].n;
  /** Every snapshot row (current and history) of everyone but the victim, in a stable order. */
  const othersSnapshots = async (): Promise<{ scores: Row[]; topics: Row[] }> => ({
    scores: await api.dataSource.query(`SELECT * FROM influencer_scores WHERE influencer_id <> $1 ORDER BY run_id, influencer_id`, [
      victim.influencerId,
    ]),
    topics: await api.dataSource.query(
      `SELECT * FROM influencer_topic_scores WHERE influencer_id <> $1 ORDER BY run_id, influencer_id, topic_id`,
      [victim.influencerId],
    ),
  });

  const needles = (): Record<string, string> =>
    identifyingValues({ ...victim, name: victimName, handles: victimHandles, activityIds: victimIds, idempotencyKey });

  /**
   * Scans every row of every table of the database (partitions and snapshot tables of every run
   * included, whatever their schema), each row cast to text, i.e. every column: which needles
   * are found where.
   */
  const scanDatabase = async (): Promise<{ tables: string[]; found: Record<string, string[]> }> => {
    const tables = await everyTable(api.dataSource);
    const entries = Object.entries(needles());
    const found: Record<string, string[]> = {};
    for (const name of tables) {
      const hits: Array<{ label: string }> = await api.dataSource.query(
        `SELECT n.label FROM unnest($1::text[], $2::text[]) AS n(label, needle)
         WHERE EXISTS (SELECT 1 FROM ${name} t WHERE strpos(lower(t::text), n.needle) > 0)`,
        [entries.map(([label]) => label), entries.map(([, needle]) => needle)],
      );
      for (const { label } of hits) (found[label] ??= []).push(name);
    }
    return { tables, found };
  };

  /** Every key BullMQ keeps for this suite (job payloads included), read whatever its type. */
  const scanRedis = async (): Promise<string[]> => {
    const keys = await api.redis.keys(`${api.env.BULLMQ_PREFIX}*`);
    const texts: string[] = [];
    for (const key of keys) {
      const type = await api.redis.type(key);
      if (type === 'string') texts.push((await api.redis.get(key)) ?? '');
      else if (type === 'hash') texts.push(JSON.stringify(await api.redis.hgetall(key)));
      else if (type === 'list') texts.push(JSON.stringify(await api.redis.lrange(key, 0, -1)));
      else if (type === 'set') texts.push(JSON.stringify(await api.redis.smembers(key)));
      else if (type === 'zset') texts.push(JSON.stringify(await api.redis.zrange(key, 0, -1)));
      else if (type === 'stream') texts.push(JSON.stringify(await api.redis.xrange(key, '-', '+')));
      texts.push(key);
    }
    const all = texts.join('\n').toLowerCase();
    return Object.entries(needles())
      .filter(([, needle]) => all.includes(needle))
      .map(([label]) => label);
  };

  beforeAll(async () => {
    database = await createScratchDatabase('erasure');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('erasure') });
    admin = await logInAdmin(api.client);
    connector = await connectorKey(api.client, admin);
    brand = await signUp(api.client, 'BRAND');

    victim = await person(victimName, { country: 'FR', language: 'fr' });
    await connect(victim, 'X', victimHandles.X, true);
    await connect(victim, 'INSTAGRAM', victimHandles.INSTAGRAM);
    people = {};
    for (const name of others) {
      people[name] = await person(`${name} ${tag}`);
      await connect(people[name], 'X', handleOf(name));
    }

    // The victim is engaged by fans and by others, and engages others: their node carries edges
    // that others' scores rest on, in both directions.
    const at = (n: number) => day(n).toISOString();
    const fans = await establishedFans(api.client, connector, tag, 12);
    const interaction = xInteraction;
    const { ingestActivity } = await api.client.ok(
      INGEST,
      {
        input: {
          posts: [
            { externalId: `${victimIds}-post`, network: 'X', authorHandle: victimHandles.X, topics: ['tech-ai'], postedAt: at(10) },
            { externalId: `oth-${tag}-hub-post`, network: 'X', authorHandle: handleOf('hub'), topics: ['tech-ai'], postedAt: at(10) },
            { externalId: `oth-${tag}-ana-post`, network: 'X', authorHandle: handleOf('ana'), topics: ['food-coffee'], postedAt: at(9) },
          ],
          interactions: [
            ...fans.map((fan, i) => interaction(`${victimIds}-fan-${i}`, 'RESHARE', fan, victimHandles.X, `${victimIds}-post`, 5 + i)),
            ...fans.map((fan, i) => interaction(`oth-${tag}-fan-hub-${i}`, 'RESHARE', fan, handleOf('hub'), `oth-${tag}-hub-post`, 6 + i)),
            ...fans
              .slice(0, 6)
              .map((fan, i) => interaction(`oth-${tag}-fan-ana-${i}`, 'LIKE', fan, handleOf('ana'), `oth-${tag}-ana-post`, 7 + i)),
            interaction(`${victimIds}-out-1`, 'RESHARE', victimHandles.X, handleOf('hub'), `oth-${tag}-hub-post`, 8),
            interaction(`${victimIds}-out-2`, 'REPLY', victimHandles.X, handleOf('ana'), `oth-${tag}-ana-post`, 8),
            interaction(`${victimIds}-in-1`, 'MENTION', handleOf('hub'), victimHandles.X, undefined, 7),
            interaction(`${victimIds}-in-2`, 'RESHARE', handleOf('ben'), victimHandles.X, `${victimIds}-post`, 6),
            interaction(`oth-${tag}-ben-ana`, 'REPLY', handleOf('ben'), handleOf('ana'), `oth-${tag}-ana-post`, 6),
          ],
        },
      },
      { apiKey: connector },
    );
    expect(ingestActivity).toEqual({ accepted: 3 + 12 + 12 + 6 + 5, rejected: 0 });

    // Scores over two runs (history), then an offer claimed and an offer left open.
    await runScores(3);
    await runScores(2);
    claimCampaign = await campaign('Claimed one');
    openCampaign = await campaign('Open one');
    idempotencyKey = `${victimIds}-key`;
    const { claimOffer } = await api.client.ok(CLAIM, { offerId: await offerOf(claimCampaign, victim), key: idempotencyKey }, victim);
    expect(claimOffer).toMatchObject({ __typename: 'Claim', status: 'ACTIVE' });
    victimClaim = claimOffer;
    const other = await api.client.ok(CLAIM, { offerId: await offerOf(claimCampaign, people.hub) }, people.hub);
    expect(other.claimOffer.__typename).toBe('Claim');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('is refused to anyone but a signed-in influencer, and changes nothing then', async () => {
    const agency = await signUp(api.client, 'AGENCY');
    const anonymous = await api.client.request(ERASE);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const who of [brand, agency, { token: admin }, { apiKey: connector }]) {
      const refused = await api.client.request(ERASE, {}, who);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
    expect((await api.client.ok(ME, {}, brand)).me.email).toBe(brand.email.toLowerCase());
  });

  it('answers ErasureBusyError and erases nothing while a score run or a matcher holds on', async () => {
    const patient = new PrivacyService(api.dataSource, api.services.accounts, api.services.matching, { lockTimeoutMs: 300 });
    const run = new Client({ connectionString: database.url });
    await run.connect();
    try {
      await run.query('SELECT pg_advisory_lock($1)', [RUN_LOCK]);
      expect(await patient.eraseMyData(victim.userId)).toMatchObject({ errorCode: 'ERASURE_BUSY' });
      await run.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK]);
      // A matcher at work on a live campaign (it holds that campaign's lock) is waited for too.
      await run.query(`SELECT pg_advisory_lock(hashtextextended('match:' || $1, 0))`, [openCampaign]);
      expect(await patient.eraseMyData(victim.userId)).toMatchObject({ errorCode: 'ERASURE_BUSY' });
    } finally {
      await run.end();
    }
    expect((await api.client.ok(ME, {}, victim)).me.influencer).toEqual({ id: victim.influencerId, displayName: victimName });
  });

  let before: { scores: Row[]; topics: Row[] };
  let counterfactual: ModelResult & { ids: string[] };
  let statsBefore: { claimed: any; open: any };

  it('finds the person everywhere before the erasure (the scan can fail)', async () => {
    // A setting of their inbox (the matches already wrote its notifications).
    await api.client.ok(`mutation { updateNotificationPreferences(input: [{ kind: SCORE_CHANGED, email: true }]) { kind } }`, {}, victim);
    const { tables, found } = await scanDatabase();
    const [{ runs }] = await api.dataSource.query(`SELECT array_agg(id ORDER BY id) AS runs FROM score_runs`);
    for (const run of runs) {
      expect(tables).toEqual(expect.arrayContaining([`public.influencer_scores_r${run}`, `public.influencer_topic_scores_r${run}`]));
    }
    expect(Object.keys(found).sort()).toEqual(Object.keys(needles()).sort());
    expect(found['influencer id']).toEqual(
      expect.arrayContaining([
        'public.influencers',
        'public.offers',
        'public.claims',
        'public.claim_requests',
        'public.notifications',
        'public.notification_preferences',
      ]),
    );
    expect(found['X handle hash']).toEqual(['public.actors']);
    expect(found['network ids of their activity']).toEqual(
      expect.arrayContaining(['public.posts', 'public.interactions', 'public.claim_requests']),
    );

    // What the next run would compute if nothing were erased: others' scores must come out the same.
    before = await othersSnapshots();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const loaded = await loadModelInput(client, windowOf(dateOf(1)), () => undefined);
      const result = computeScores(loaded.model);
      counterfactual = {
        ...result,
        ids: Array.from({ length: loaded.model.influencers.count }, (_, i) => uuidOf(loaded.influencerIds, i)),
      };
    } finally {
      await client.end();
    }
    expect(counterfactual.ids).toContain(victim.influencerId);
    statsBefore = { claimed: await stats(claimCampaign), open: await stats(openCampaign) };
    expect(statsBefore.claimed.stats).toMatchObject({ claimed: 2, redeemed: 0 });
    expect(statsBefore.open.stats).toMatchObject({ outstanding: 4, withdrawn: 0 });
  });

  it('erases the account, profile, accounts, scores and history at once, and the token stops working', async () => {
    const [{ n: actorsBefore }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM actors`);
    const nodes: number[] = (
      await api.dataSource.query(`SELECT actor_id FROM social_accounts WHERE influencer_id = $1`, [victim.influencerId])
    ).map((r: { actor_id: number }) => r.actor_id);
    expect(await snapshotsOf(nodes)).toBe(2);
    const { eraseMyData } = await api.client.ok(ERASE, {}, victim);
    expect(eraseMyData).toMatchObject({
      __typename: 'ErasureReceipt',
      socialAccounts: 2,
      scores: 2, // two runs
      anonymousNodes: 2,
      activityUnlinked: 1 + 12 + 4, // their post; 12 fans' reshares, 2 by them, 2 to them
      offersWithdrawn: 1,
      claimsKept: 1,
      activeClaimsKept: 1,
    });
    expect(eraseMyData.topicScores).toBeGreaterThanOrEqual(2);
    expect(eraseMyData.notifications).toBeGreaterThanOrEqual(2); // an offer of each campaign

    // The token is refused at once (this process forgot it), and so are the password and a second erasure.
    const me = await api.client.request(ME, {}, victim);
    expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = await api.client.request(ERASE, {}, victim);
    expect(again.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const logIn = await api.client.ok(LOG_IN, { input: { email: victim.email, password: 'correct horse battery' } });
    expect(logIn.logIn.__typename).toBe('InvalidCredentialsError');

    // The graph keeps its nodes and edges (as anonymous ones): nothing else changed.
    const [{ n: actorsAfter }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM actors`);
    expect(actorsAfter).toBe(actorsBefore);
    const [{ n: interactions }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM interactions`);
    expect(interactions).toBe(35);
    // The connectors' snapshots of their accounts are gone; the nodes keep the two numbers the model read from them.
    expect(await snapshotsOf(nodes)).toBe(0);
    const frozen = await api.dataSource.query(`SELECT erased_quality, erased_evidence FROM actors WHERE id = ANY($1::int[])`, [nodes]);
    expect(frozen).toEqual([
      { erased_quality: expect.any(Number), erased_evidence: expect.any(Number) },
      { erased_quality: expect.any(Number), erased_evidence: expect.any(Number) },
    ]);
    expect(await othersSnapshots()).toEqual(before);
  });

  it("keeps the brand's accounting: the claim still counts and its code still redeems once", async () => {
    const claimed = await stats(claimCampaign);
    expect(claimed).toEqual(statsBefore.claimed);
    const open = await stats(openCampaign);
    expect(open.stats).toEqual({ ...statsBefore.open.stats, outstanding: 3, withdrawn: 1 });
    expect(open.remaining).toBe(statsBefore.open.remaining);

    expect((await api.client.ok(REDEEM, { code: victimClaim.code }, brand)).redeemClaim).toEqual({
      __typename: 'Claim',
      status: 'REDEEMED',
    });
    expect((await api.client.ok(REDEEM, { code: victimClaim.code }, brand)).redeemClaim.errorCode).toBe('ALREADY_REDEEMED');
    expect((await stats(claimCampaign)).stats).toMatchObject({ claimed: 2, redeemed: 1 });
    // The claim and its offer point at the same stand-in, which is no influencer.
    const [row] = await api.dataSource.query(
      `SELECT c.influencer_id = o.influencer_id AS same, EXISTS (SELECT 1 FROM influencers i WHERE i.id = c.influencer_id) AS real
       FROM claims c JOIN offers o ON o.id = c.offer_id WHERE c.id = $1`,
      [victimClaim.id],
    );
    expect(row).toEqual({ same: true, real: false });
  });

  it('does not come back with the next score run, which scores everyone else exactly as if nothing were erased', async () => {
    const runId = await runScores(1);
    const [run] = await api.dataSource.query(`SELECT is_current, stats FROM score_runs WHERE id = $1`, [runId]);
    expect(run.is_current).toBe(true);
    expect(run.stats.influencers).toBe(counterfactual.ids.length - 1);
    expect(run.stats.interactions).toBe(counterfactual.stats.edges);

    const scores: Row[] = await api.dataSource.query(`SELECT * FROM influencer_scores WHERE run_id = $1`, [runId]);
    const topics: Row[] = await api.dataSource.query(
      `SELECT * FROM influencer_topic_scores WHERE run_id = $1 ORDER BY influencer_id, topic_id`,
      [runId],
    );
    expect(scores.map((s) => s.influencer_id)).not.toContain(victim.influencerId);
    const s = counterfactual.influencers;
    const f = Math.fround;
    const expected = counterfactual.ids
      .map((id, i) => ({ id, i }))
      .filter(({ id }) => id !== victim.influencerId)
      .map(({ id, i }) => ({
        influencer_id: id,
        score: s.score[i],
        reach: f(s.reach[i]),
        amplification: f(s.amplification[i]),
        authority: f(s.authority[i]),
        authority_raw: f(s.authorityRaw[i]),
        reach_raw: f(s.reachRaw[i]),
        engagers: s.engagers[i],
        posts: s.posts[i],
        topics: Array.from({ length: s.topicStart[i + 1] - s.topicStart[i] }, (_, k) => ({
          topic_id: s.topicIds[s.topicStart[i] + k],
          score: s.topicScores[s.topicStart[i] + k],
          engagement: f(s.topicEngagement[s.topicStart[i] + k]),
        })).sort((a, b) => a.topic_id - b.topic_id),
      }))
      .sort((a, b) => a.influencer_id.localeCompare(b.influencer_id));
    const actual = scores
      .map((r) => ({
        influencer_id: r.influencer_id as string,
        score: r.score,
        reach: f(Number(r.reach)),
        amplification: f(Number(r.amplification)),
        authority: f(Number(r.authority)),
        authority_raw: f(Number(r.authority_raw)),
        reach_raw: f(Number(r.reach_raw)),
        engagers: r.engagers,
        posts: r.posts,
        topics: topics
          .filter((t) => t.influencer_id === r.influencer_id)
          .map((t) => ({ topic_id: t.topic_id, score: t.score, engagement: f(Number(t.engagement)) })),
      }))
      .sort((a, b) => a.influencer_id.localeCompare(b.influencer_id));
    expect(actual).toEqual(expected);
    // The people the victim engaged with still have that engagement counted.
    expect(actual.find((a) => a.influencer_id === people.hub.influencerId)!.engagers).toBe(12 + 1);
  });

  it('leaves nothing in any table or column, nor in the job queues, that leads back to the person', async () => {
    const { tables, found } = await scanDatabase();
    expect(tables).toEqual(expect.arrayContaining(['public.influencer_scores_r1', 'public.actor_ranks_r3']));
    // Nothing is kept on purpose: every value that identified the person is gone (claim ids and
    // codes, offer ids, actor ids and ranks are kept, none of which identifies anyone).
    expect(found).toEqual({});
    expect(await scanRedis()).toEqual([]);
  });

  it('races claims and matching without leaving a trace: every claim whole and unlinked, or absent', async () => {
    const racers = await Promise.all(Array.from({ length: 10 }, (_, i) => person(`Racer ${i} ${tag}`)));
    await runScores(0); // scores them, so they get offers
    const racing = await campaign('Racing one');
    const late = await campaign('Late one');
    await api.dataSource.query(`DELETE FROM offers WHERE campaign_id = $1`, [late]); // matched again during the erasures
    const offers = await Promise.all(racers.map((r) => offerOf(racing, r)));
    for (let round = 0; round < 2; round++) {
      const group = racers.slice(5 * round, 5 * round + 5);
      // Each racer's erasure and claim race each other, while the late campaign is matched.
      const answers = await Promise.all([
        api.services.matching.matchCampaign(late).then(() => null),
        ...group.flatMap((r, i) => {
          const erase = api.client.request(ERASE, {}, r).then((a) => a.data?.eraseMyData?.__typename);
          // Claims sent 0-480 ms after the erasure, so some come first and some after.
          const claim = new Promise((wait) => setTimeout(wait, 120 * i)).then(() =>
            api.client
              .request(CLAIM, { offerId: offers[5 * round + i], key: randomUUID() }, r)
              .then((a) => a.data?.claimOffer?.__typename ?? a.errors?.[0].extensions?.code),
          );
          return [erase, claim];
        }),
      ]);
      expect(answers.filter((a) => a === 'ErasureReceipt')).toHaveLength(5);
      // A claim that lost the race is refused like any request of someone who no longer exists.
      for (const answer of answers.filter((a) => a && a !== 'ErasureReceipt')) {
        expect(['Claim', 'NOT_FOUND', 'UNAUTHENTICATED']).toContain(answer);
      }
    }
    const ids = racers.map((r) => r.influencerId);
    const leftovers = await api.dataSource.query(
      `SELECT 'offers' AS t FROM offers WHERE influencer_id = ANY($1::uuid[]) UNION ALL
       SELECT 'claims' FROM claims WHERE influencer_id = ANY($1::uuid[]) UNION ALL
       SELECT 'claim_requests' FROM claim_requests WHERE influencer_id = ANY($1::uuid[]) UNION ALL
       SELECT 'scores' FROM influencer_scores WHERE influencer_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(leftovers).toEqual([]);
    // Units held are exactly the claims standing, whichever of claim and erasure came first.
    const [held] = await api.dataSource.query(
      `SELECT c.inventory - c.remaining AS held, (SELECT count(*)::int FROM claims WHERE campaign_id = c.id AND status = 'ACTIVE') AS active
       FROM campaigns c WHERE c.id = $1`,
      [racing],
    );
    expect(held.held).toBe(held.active);
  });

  it('erases once when asked twice at the same time', async () => {
    const twin = await person(`Twin ${tag}`);
    await connect(twin, 'X', `twin_${tag}`);
    const answers = await Promise.all([api.client.request(ERASE, {}, twin), api.client.request(ERASE, {}, twin)]);
    const receipts = answers.filter((a) => a.data?.eraseMyData?.__typename === 'ErasureReceipt');
    expect(receipts).toHaveLength(1);
    expect(receipts[0].data.eraseMyData.socialAccounts).toBe(1);
    const refused = answers.find((a) => a !== receipts[0])!;
    expect(['NOT_FOUND', 'UNAUTHENTICATED']).toContain(refused.errors?.[0].extensions?.code);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [twin.userId]);
    expect(n).toBe(0);
  });
});
