import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { logger } from '../../src/core/logger';
import { handleHash } from '../../src/modules/activity/actor-key';
import { ConsentService } from '../../src/modules/privacy/consent.service';
import { computeScores, type ModelResult } from '../../src/modules/scoring/score-model';
import { loadModelInput, windowOf } from '../../src/modules/scoring/score-run-loader';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectAccount, connectorKey, connectVerified, establishedAccount, ingestAccounts, xInteraction } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { logInAdmin, signUp, type SignedUp, type Person } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';
import { day, dateOf, uuidOf } from '../helpers/dates';

/*
 * Issue 14, item 4: an influencer's own data through the API. updateMyProfile (and LANGUAGES
 * targeting reading it at once), disconnectSocialAccount, optOut / optIn, and exportMyData, whose
 * document is checked against a scan of every row of every table that names the person.
 */

const EXPORT = `{ exportMyData }`;
const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
  __typename ... on Influencer { id displayName country language } } }`;
const DISCONNECT = `mutation($id: ID!) { disconnectSocialAccount(id: $id) { id network handle wasVerified disconnectedAt } }`;
const OPT_OUT = `mutation { optOut { __typename ... on OptOutReceipt { optedOutAt offersWithdrawn activeClaimsKept } ... on ErrorResult { errorCode } } }`;
const OPT_IN = `mutation { optIn { id optedInAt optedOutAt score } }`;
const ME = `{ me { influencer { id displayName country language optedInAt optedOutAt score outreach activity topics { score } scoreHistory(days: 30) { runDate }
  scoreExplanation { score } socialAccounts { id network handle } } } }`;
const INFLUENCER = `query($id: ID!) { influencer(id: $id) { id score } }`;
const SEARCH = `query($targeting: TargetingInput) { eligibleInfluencers(targeting: $targeting, first: 100) { totalCount edges { node { id } } } }`;
const ELIGIBILITY = `query($campaignId: ID!, $influencerId: ID!) {
  eligibility(campaignId: $campaignId, influencerId: $influencerId) { eligible reasons { condition message } } }`;
const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  __typename ... on Campaign { id targeting { languages conditions } } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) { claimOffer(offerId: $offerId, idempotencyKey: $key) {
  __typename ... on Claim { id code status } ... on ErrorResult { errorCode } } }`;
const MY_CLAIMS = `{ myClaims(first: 10) { edges { node { id code status } } } }`;
const MY_OFFERS = `{ myOffers(first: 10) { edges { node { id status } } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;

type Row = Record<string, any>;

describe('their own data: profile, opting out, disconnecting, exporting (real Postgres and Redis)', () => {
  const tag = randomBytes(4).toString('hex');
  const name = `Olga Own ${tag}`;
  const handles = { X: `own_${tag}`, INSTAGRAM: `own.gram_${tag}` } as const;
  const activityIds = `own-${tag}`; // prefix of the network ids of their posts and of interactions with them
  const handleOf = (who: string) => `${who}_${tag}`;

  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let connector: string;
  let brand: SignedUp;
  let owner: Person;
  let people: Record<'hub' | 'ana', Person>;
  let links: { X: string; INSTAGRAM: string; hub: string; anaPending: string };
  let campaigns: { claimed: string; open: string; french: string };
  let claim: { id: string; code: string };
  let idempotencyKey: string;

  const person = async (displayName: string, extra: Record<string, unknown> = {}): Promise<Person> => {
    const signed = await signUp(api.client, 'INFLUENCER', { name: displayName, ...extra });
    const [row] = await api.dataSource.query(`SELECT id FROM influencers WHERE user_id = $1`, [signed.userId]);
    return { ...signed, influencerId: row.id };
  };
  const prove = (who: Person, network: string, handle: string) =>
    connectVerified(
      api.client,
      who,
      connector,
      { network, handle, followers: 1200, following: 150, accountCreatedAt: '2015-01-01T00:00:00Z' },
      { createdAt: '2015-01-01T00:00:00Z' },
    );
  const campaign = async (label: string, targeting: Record<string, unknown> = {}): Promise<string> => {
    const { createCampaign } = await api.client.ok(
      CREATE,
      {
        input: {
          name: label,
          perk: { title: 'Tasting kit', kind: 'PRODUCT', valueCents: 2500, currency: 'EUR' },
          inventory: 10,
          targeting,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
      brand,
    );
    if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
    expect((await api.client.ok(LAUNCH, { id: createCampaign.id }, brand)).launchCampaign.status).toBe('ACTIVE');
    await api.services.matching.matchCampaign(createCampaign.id);
    return createCampaign.id;
  };
  const offerOf = async (campaignId: string, who: Person): Promise<{ id: string; status: string } | undefined> =>
    (
      await api.dataSource.query(`SELECT id, status FROM offers WHERE campaign_id = $1 AND influencer_id = $2`, [
        campaignId,
        who.influencerId,
      ])
    )[0];
  const runScores = async (daysAgo: number) => {
    const run = await api.services.scoring.requestRun(dateOf(daysAgo), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
    return run.id as number;
  };
  const eligibility = async (campaignId: string) =>
    (await api.client.ok(ELIGIBILITY, { campaignId, influencerId: owner.influencerId }, brand)).eligibility;

  beforeAll(async () => {
    database = await createScratchDatabase('own_data');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('own-data') });
    const admin = await logInAdmin(api.client);
    connector = await connectorKey(api.client, admin);
    brand = await signUp(api.client, 'BRAND');
    // The brand listens to claim events, so what it was told about the person is in webhook_events.
    await api.dataSource.query(
      `INSERT INTO webhook_endpoints (organization_id, url, events, secret) VALUES ($1, 'https://93.184.215.14/x', '{claim.created}', $2)`,
      [brand.organizationId, `whsec_${randomBytes(32).toString('base64url')}`],
    );

    owner = await person(name, { country: 'FR', language: 'fr' });
    people = { hub: await person(`Hub ${tag}`), ana: await person(`Ana ${tag}`, { language: 'de' }) };
    links = {
      X: await prove(owner, 'X', handles.X),
      INSTAGRAM: (await connectAccount(api.client, owner, { network: 'INSTAGRAM', handle: handles.INSTAGRAM })).id, // left PENDING
      hub: await prove(people.hub, 'X', handleOf('hub')),
      anaPending: (await connectAccount(api.client, people.ana, { network: 'TIKTOK', handle: handleOf('ana') })).id,
    };
    await prove(people.ana, 'X', handleOf('ana'));

    const fans = Array.from({ length: 10 }, (_, i) => `fan${i}_${tag}`);
    await ingestAccounts(
      api.client,
      connector,
      fans.map((fan) => establishedAccount('X', fan)),
    );
    const at = (n: number) => day(n).toISOString();
    const interaction = (externalId: string, kind: string, actor: string, target: string, post: string | undefined, n: number) =>
      xInteraction(externalId, kind, actor, target, post, at(n));
    const { ingestActivity } = await api.client.ok(
      INGEST,
      {
        input: {
          posts: [
            { externalId: `${activityIds}-post`, network: 'X', authorHandle: handles.X, topics: ['food-coffee'], postedAt: at(10) },
            { externalId: `oth-${tag}-hub-post`, network: 'X', authorHandle: handleOf('hub'), topics: ['tech-ai'], postedAt: at(10) },
          ],
          interactions: [
            ...fans.map((fan, i) => interaction(`${activityIds}-fan-${i}`, 'RESHARE', fan, handles.X, `${activityIds}-post`, 5 + i)),
            ...fans.map((fan, i) => interaction(`oth-${tag}-fan-hub-${i}`, 'RESHARE', fan, handleOf('hub'), `oth-${tag}-hub-post`, 6 + i)),
            ...fans.slice(0, 4).map((fan, i) => interaction(`oth-${tag}-fan-ana-${i}`, 'MENTION', fan, handleOf('ana'), undefined, 7 + i)),
            interaction(`${activityIds}-out-1`, 'RESHARE', handles.X, handleOf('hub'), `oth-${tag}-hub-post`, 8),
            interaction(`${activityIds}-in-1`, 'MENTION', handleOf('hub'), handles.X, undefined, 7),
            interaction(`oth-${tag}-hub-ana`, 'REPLY', handleOf('hub'), handleOf('ana'), undefined, 6),
          ],
        },
      },
      { apiKey: connector },
    );
    expect(ingestActivity).toEqual({ accepted: 2 + 10 + 10 + 4 + 3, rejected: 0 });

    await runScores(3);
    await runScores(2);
    campaigns = {
      claimed: await campaign('Claimed one'),
      open: await campaign('Open one'),
      french: await campaign('French one', { languages: ['FR', 'fr'] }),
    };
    idempotencyKey = `${activityIds}-key`;
    const { claimOffer } = await api.client.ok(
      CLAIM,
      { offerId: (await offerOf(campaigns.claimed, owner))!.id, key: idempotencyKey },
      owner,
    );
    expect(claimOffer).toMatchObject({ __typename: 'Claim', status: 'ACTIVE' });
    claim = claimOffer;
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  describe('exportMyData', () => {
    let document: Row;
    let text: string;

    beforeAll(async () => {
      document = (await api.client.ok(EXPORT, {}, owner)).exportMyData;
      text = JSON.stringify(document).toLowerCase();
    });

    /** Every value that identifies the person, lower case (the handle hashes as the hex bytea prints). */
    const needles = (): Record<string, string> => ({
      'user id': owner.userId,
      'influencer id': owner.influencerId,
      email: owner.email.toLowerCase(),
      'display name': name.toLowerCase(),
      'X handle': handles.X.toLowerCase(),
      'Instagram handle': handles.INSTAGRAM.toLowerCase(),
      'X handle hash': handleHash('X', handles.X).toString('hex'),
      'Instagram handle hash': handleHash('INSTAGRAM', handles.INSTAGRAM).toString('hex'),
      'network ids of their activity': activityIds.toLowerCase(),
      'idempotency key': idempotencyKey.toLowerCase(),
    });

    /** Every row of every table (partitions included) that holds a needle in any column, as jsonb. */
    const scanDatabase = async (): Promise<Record<string, Row[]>> => {
      const tables: Array<{ name: string }> = await api.dataSource.query(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
         ORDER BY 1`,
      );
      const values = Object.values(needles());
      const found: Record<string, Row[]> = {};
      for (const { name: table } of tables) {
        const rows: Array<{ r: Row }> = await api.dataSource.query(
          `SELECT to_jsonb(t) AS r FROM ${table} t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS u(needle) WHERE strpos(lower(t::text), u.needle) > 0)`,
          [values],
        );
        if (rows.length) found[table.replace(/^public\./, '')] = rows.map((x) => x.r);
      }
      return found;
    };

    /** Where the export holds a row of each table, by the row's identity; null: represented. */
    const missingFromExport = (table: string, r: Row): string | null => {
      const has = (list: Row[], pick: (x: Row) => unknown, value: unknown) => list.some((x) => pick(x) === value);
      const partition = /^(influencer_scores|influencer_topic_scores)_r(\d+)$/.exec(table);
      if (partition) {
        const run = document.scores.history.find((h: Row) => h.runId === r.run_id);
        if (!run) return `score run ${r.run_id}`;
        if (partition[1] === 'influencer_scores')
          return run.score === r.score && run.engagers === r.engagers ? null : `run ${r.run_id}'s figures`;
        return run.topics.some((t: Row) => t.score === r.score) ? null : `run ${r.run_id}'s topic score`;
      }
      switch (table) {
        case 'users':
          return document.user.id === r.id && document.user.email === r.email && document.user.name === r.name ? null : 'the user';
        case 'influencers':
          return document.profile.id === r.id && document.profile.displayName === r.display_name ? null : 'the profile';
        case 'social_accounts':
          return has(document.socialAccounts, (a) => a.id, r.id) ? null : `link ${r.id}`;
        case 'actors':
          return has(document.socialAccounts, (a) => a.graphNode?.id, r.id) ? null : `graph node ${r.id}`;
        case 'posts':
          return has(document.activity.posts, (p) => p.externalId, r.external_id) ? null : `post ${r.external_id}`;
        case 'interactions':
          return has(document.activity.interactions, (i) => i.externalId, r.external_id) ? null : `interaction ${r.external_id}`;
        case 'offers':
          return has(document.offers, (o) => o.id, r.id) ? null : `offer ${r.id}`;
        case 'claims':
          return has(document.claims, (c) => c.id === r.id && c.code, r.code) ? null : `claim ${r.id}`;
        case 'claim_requests':
          return has(document.claimRequests, (c) => c.idempotencyKey, r.idempotency_key) ? null : `claim request ${r.idempotency_key}`;
        case 'webhook_events':
          return has(document.sharedWithBrands, (e) => e.eventId, r.id) ? null : `webhook event ${r.id}`;
        case 'notifications':
          return has(document.notifications.items, (n) => String(n.id), String(r.id)) ? null : `notification ${r.id}`;
        case 'notification_preferences':
          return has(document.notifications.preferences, (p) => p.kind, r.kind) ? null : `notification preference ${r.kind}`;
        case 'email_messages':
          return has(document.notifications.emails, (m) => m.id, r.id) ? null : `e-mail ${r.id}`;
        default:
          // A table this test does not know yet: its rows by id.
          return r.id !== undefined && text.includes(String(r.id).toLowerCase()) ? null : `a row of ${table}`;
      }
    };

    it('holds every row of every table that names the person, and the scan finds them all (it can fail)', async () => {
      const found = await scanDatabase();
      // Each identifying value is somewhere, so a scan that found nothing would not pass for a complete export.
      const all = JSON.stringify(found).toLowerCase();
      for (const [label, needle] of Object.entries(needles())) expect([label, all.includes(needle)]).toEqual([label, true]);
      expect(Object.keys(found)).toEqual(
        expect.arrayContaining([
          'users',
          'influencers',
          'social_accounts',
          'actors',
          'posts',
          'interactions',
          'offers',
          'claims',
          'claim_requests',
          'webhook_events',
          'influencer_scores_r1',
          'influencer_scores_r2',
          'influencer_topic_scores_r2',
        ]),
      );
      const missing = Object.entries(found).flatMap(([table, rows]) =>
        rows.map((r) => missingFromExport(table, r)).filter((m): m is string => m !== null),
      );
      expect(missing).toEqual([]);
      // And the other way: each section counts what the database holds, no more.
      expect(document.offers).toHaveLength(found.offers.length);
      expect(document.claims).toHaveLength(1);
      expect(document.scores.history.map((h: Row) => h.runDate)).toEqual([dateOf(3), dateOf(2)]);
    });

    it('is one JSON document of their data, with their codes, and nothing of anyone else', async () => {
      expect(document).toMatchObject({
        format: 'perks.data-export',
        version: 1,
        user: { id: owner.userId, email: owner.email.toLowerCase(), role: 'INFLUENCER' },
        profile: { id: owner.influencerId, displayName: name, country: 'FR', language: 'fr', optedIn: true, optedOutAt: null },
      });
      const byNetwork = Object.fromEntries(document.socialAccounts.map((a: Row) => [a.network, a]));
      expect(byNetwork.X).toMatchObject({ status: 'VERIFIED', verificationCode: null, seenByConnectors: { followers: 800 } });
      expect(byNetwork.INSTAGRAM).toMatchObject({ status: 'PENDING', seenByConnectors: null });
      expect(byNetwork.INSTAGRAM.verificationCode).toMatch(/^perks-[a-z2-7]{10}$/); // their own code: their data
      expect(document.claims[0]).toMatchObject({ id: claim.id, code: claim.code, status: 'ACTIVE' });
      expect(document.claimRequests[0]).toMatchObject({ idempotencyKey, answer: { claimId: claim.id } });
      expect(document.sharedWithBrands).toEqual([
        expect.objectContaining({ type: 'claim.created', data: expect.objectContaining({ id: claim.id }) }),
      ]);
      expect(document.activity.posts.map((p: Row) => p.externalId)).toEqual([`${activityIds}-post`]);
      expect(document.activity.interactions).toHaveLength(12);
      expect(document.scores.explanation).toMatchObject({ runDate: dateOf(2), score: expect.any(Number) });
      expect(document.scores.explanation.topEngagers.length).toBeGreaterThan(0);
      // Their inbox: the matcher told them of their offers.
      expect(document.notifications.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'OFFER_NEW' })]));

      // Never: the password hash, another person's ids, handles, names, codes or email, or a brand's id.
      const [{ password_hash: hash }] = await api.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [owner.userId]);
      const [{ code: othersCode }] = await api.dataSource.query(`SELECT verification_code AS code FROM social_accounts WHERE id = $1`, [
        links.anaPending,
      ]);
      const foreign = [
        hash,
        othersCode,
        people.hub.userId,
        people.hub.influencerId,
        people.hub.email,
        people.ana.influencerId,
        handleOf('hub'),
        handleOf('ana'),
        `hub ${tag}`,
        brand.organizationId!,
        brand.email,
      ].map((s) => s.toLowerCase());
      expect(foreign.filter((s) => text.includes(s))).toEqual([]);
    });

    it('is refused to anyone but a signed-in influencer', async () => {
      expect((await api.client.request(EXPORT)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const refused = await api.client.request(EXPORT, {}, brand);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    });
  });

  describe('updateMyProfile and LANGUAGES targeting', () => {
    it('refuses bad values with messages a person can act on, and changes nothing then', async () => {
      const bad = await api.client.request(UPDATE, { input: { displayName: '  ', country: 'Narnia', language: 'xx' } }, owner);
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const messages = JSON.stringify(bad.errors?.[0].extensions?.fields);
      expect(messages).toContain('displayName must not be blank');
      expect(messages).toContain('country must be an ISO 3166-1 alpha-2 code, like FR or US');
      expect(messages).toContain('language must be an ISO 639-1 code, like fr or en');
      expect((await api.client.ok(ME, {}, owner)).me.influencer).toMatchObject({ displayName: name, country: 'FR', language: 'fr' });
      const input = {
        name: 'Klingon one',
        perk: { title: 'Kit', kind: 'PRODUCT', valueCents: 100, currency: 'EUR' },
        inventory: 1,
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        targeting: { languages: ['fr', 'klingon'] },
      };
      const targeting = await api.client.request(CREATE, { input }, brand);
      expect(targeting.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(targeting.errors?.[0].extensions?.fields)).toContain('languages must be ISO 639-1 codes, like fr or en');
    });

    it('stores the languages of a campaign as a LANGUAGES condition, lower case', async () => {
      const { campaign } = await api.client.ok(
        `query($id: ID!) { campaign(id: $id) { targeting { languages conditions } } }`,
        { id: campaigns.french },
        brand,
      );
      expect(campaign.targeting).toEqual({ languages: ['fr'], conditions: ['LANGUAGES'] });
    });

    it('changes the profile, and targeting reads the new language at once', async () => {
      expect(await eligibility(campaigns.french)).toEqual({ eligible: true, reasons: [] });
      const { updateMyProfile } = await api.client.ok(UPDATE, { input: { country: 'de', language: 'DE' } }, owner);
      expect(updateMyProfile).toEqual({
        __typename: 'Influencer',
        id: owner.influencerId,
        displayName: name,
        country: 'DE',
        language: 'de',
      });
      expect(await eligibility(campaigns.french)).toEqual({
        eligible: false,
        reasons: [{ condition: 'LANGUAGES', message: 'language de is not one of fr' }],
      });
      // Search by language sees it at once too (a new targeting, so no cached page).
      const search = async (languages: string[]) =>
        (await api.client.ok(SEARCH, { targeting: { languages } }, brand)).eligibleInfluencers.edges.map((e: Row) => e.node.id);
      expect(await search(['de'])).toEqual(expect.arrayContaining([owner.influencerId, people.ana.influencerId]));
      expect(await search(['it'])).not.toContain(owner.influencerId);
      // The matcher withdraws the open offer of a campaign they no longer fit.
      await api.services.matching.matchCampaign(campaigns.french);
      expect((await offerOf(campaigns.french, owner))!.status).toBe('WITHDRAWN');

      const cleared = await api.client.ok(UPDATE, { input: { language: null, displayName: 'Olga' } }, owner);
      expect(cleared.updateMyProfile).toMatchObject({ displayName: 'Olga', country: 'DE', language: null });
      expect((await eligibility(campaigns.french)).reasons).toEqual([
        { condition: 'LANGUAGES', message: 'language not given; the campaign targets fr' },
      ]);
      await api.client.ok(UPDATE, { input: { language: 'fr', displayName: name } }, owner);
      expect(await eligibility(campaigns.french)).toEqual({ eligible: true, reasons: [] });
    });
  });

  describe('disconnectSocialAccount', () => {
    let counterfactual: ModelResult & { ids: string[] };

    it("refuses someone else's link and an unknown id alike, and changes nothing", async () => {
      const foreign = await api.client.request(DISCONNECT, { id: links.hub }, owner);
      const unknown = await api.client.request(DISCONNECT, { id: randomUUID() }, owner);
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(foreign.errors?.[0].message).toBe(unknown.errors?.[0].message);
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM social_accounts WHERE id = $1`, [links.hub]);
      expect(n).toBe(1);
    });

    it('removes a pending link with its code', async () => {
      const { disconnectSocialAccount } = await api.client.ok(DISCONNECT, { id: links.INSTAGRAM }, owner);
      expect(disconnectSocialAccount).toMatchObject({
        id: links.INSTAGRAM,
        network: 'INSTAGRAM',
        handle: handles.INSTAGRAM,
        wasVerified: false,
      });
      const accounts = (await api.client.ok(ME, {}, owner)).me.influencer.socialAccounts;
      expect(accounts.map((a: Row) => a.network)).toEqual(['X']);
      const again = await api.client.request(DISCONNECT, { id: links.INSTAGRAM }, owner);
      expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it("removes a proven link: the account stops counting for them at the next run, and nobody else's score moves", async () => {
      // What the next run would compute with the link in place: everyone but the hub must come out the same.
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const loaded = await loadModelInput(client, windowOf(dateOf(1)), () => undefined);
        counterfactual = {
          ...computeScores(loaded.model),
          ids: Array.from({ length: loaded.model.influencers.count }, (_, i) => uuidOf(loaded.influencerIds, i)),
        };
      } finally {
        await client.end();
      }
      const [node] = await api.dataSource.query(`SELECT actor_id FROM social_accounts WHERE id = $1`, [links.hub]);
      const { disconnectSocialAccount } = await api.client.ok(DISCONNECT, { id: links.hub }, people.hub);
      expect(disconnectSocialAccount).toMatchObject({ wasVerified: true, network: 'X', handle: handleOf('hub') });
      // The node and the connectors' snapshot stay; the proof is gone with the link.
      const [kept] = await api.dataSource.query(
        `SELECT (SELECT count(*)::int FROM actors WHERE id = $1) AS actors, (SELECT count(*)::int FROM account_snapshots WHERE actor_id = $1) AS snapshots`,
        [node.actor_id],
      );
      expect(kept).toEqual({ actors: 1, snapshots: 1 });

      const runId = await runScores(1);
      const rows: Row[] = await api.dataSource.query(
        `SELECT influencer_id, score, reach, authority, engagers FROM influencer_scores WHERE run_id = $1`,
        [runId],
      );
      const hubIndex = counterfactual.ids.indexOf(people.hub.influencerId);
      expect(counterfactual.influencers.engagers[hubIndex]).toBeGreaterThan(0);
      expect(rows.find((r) => r.influencer_id === people.hub.influencerId)).toMatchObject({ engagers: 0 });
      const s = counterfactual.influencers;
      const expected = counterfactual.ids
        .map((id, i) => ({
          id,
          score: s.score[i],
          reach: Math.fround(s.reach[i]),
          authority: Math.fround(s.authority[i]),
          engagers: s.engagers[i],
        }))
        .filter((r) => r.id !== people.hub.influencerId)
        .sort((a, b) => a.id.localeCompare(b.id));
      const actual = rows
        .filter((r) => r.influencer_id !== people.hub.influencerId)
        .map((r) => ({
          id: r.influencer_id,
          score: r.score,
          reach: Math.fround(r.reach),
          authority: Math.fround(r.authority),
          engagers: r.engagers,
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
      expect(actual).toEqual(expected);
    });
  });

  describe('optOut and optIn', () => {
    const visibleScore = async () => (await api.client.ok(ME, {}, owner)).me.influencer;

    it('answers OptOutBusyError and changes nothing while a matcher holds on', async () => {
      const patient = new ConsentService(api.dataSource, api.services.matching, { lockTimeoutMs: 300 });
      const matcher = new Client({ connectionString: database.url });
      await matcher.connect();
      try {
        await matcher.query(`SELECT pg_advisory_lock(hashtextextended('match:' || $1, 0))`, [campaigns.open]);
        expect(await patient.optOut(owner.userId)).toMatchObject({ errorCode: 'OPT_OUT_BUSY' });
      } finally {
        await matcher.end();
      }
      expect((await visibleScore()).optedInAt).toEqual(expect.any(String));
      expect((await offerOf(campaigns.open, owner))!.status).toBe('OFFERED');
    });

    it('opts out at once: offers withdrawn, out of search, eligibility and score display; claims stay valid', async () => {
      expect((await offerOf(campaigns.open, owner))!.status).toBe('OFFERED');
      const before = await visibleScore();
      expect(before.score).toEqual(expect.any(Number));
      // The figures beside the score (issue 14, item 5) are shown and hidden with it.
      expect(before.outreach).toEqual(expect.any(Number));
      expect(before.activity).toEqual(expect.any(Number));
      const [{ n: rowsBefore }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM influencer_scores WHERE influencer_id = $1`, [
        owner.influencerId,
      ]);

      // Asked twice at once: one withdraws, the other finds it done.
      const answers = await Promise.all([api.client.ok(OPT_OUT, {}, owner), api.client.ok(OPT_OUT, {}, owner)]);
      const receipts = answers.map((a) => a.optOut);
      expect(receipts.map((r) => r.__typename)).toEqual(['OptOutReceipt', 'OptOutReceipt']);
      // The open campaign's offer (the French one's was withdrawn when their language changed; the other is claimed).
      expect(receipts.map((r) => r.offersWithdrawn).sort()).toEqual([0, 1]);
      expect(receipts[0].optedOutAt).toBe(receipts[1].optedOutAt);
      expect(receipts[0].activeClaimsKept).toBe(1);

      expect((await offerOf(campaigns.open, owner))!.status).toBe('WITHDRAWN');
      const me = await visibleScore();
      expect(me).toMatchObject({
        optedInAt: null,
        optedOutAt: receipts[0].optedOutAt,
        score: null,
        outreach: null,
        activity: null,
        topics: [],
        scoreHistory: [],
        scoreExplanation: null,
      });
      expect((await api.client.request(INFLUENCER, { id: owner.influencerId }, brand)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(
        (await api.client.request(ELIGIBILITY, { campaignId: campaigns.open, influencerId: owner.influencerId }, brand)).errors?.[0]
          .extensions?.code,
      ).toBe('NOT_FOUND');
      const search = await api.client.ok(SEARCH, { targeting: { languages: ['fr', 'de'] } }, brand);
      expect(search.eligibleInfluencers.edges.map((e: Row) => e.node.id)).not.toContain(owner.influencerId);
      // Nothing erased: the score rows stay; their offers and claims stay theirs to read.
      const [{ n: rowsAfter }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM influencer_scores WHERE influencer_id = $1`, [
        owner.influencerId,
      ]);
      expect(rowsAfter).toBe(rowsBefore);
      expect((await api.client.ok(MY_OFFERS, {}, owner)).myOffers.edges.length).toBeGreaterThan(0);
      expect((await api.client.ok(MY_CLAIMS, {}, owner)).myClaims.edges).toEqual([
        { node: { id: claim.id, code: claim.code, status: 'ACTIVE' } },
      ]);
      // A campaign launched now offers them nothing (others, yes); their claim's code still redeems.
      const later = await campaign('Launched while they are out');
      expect(await offerOf(later, owner)).toBeUndefined();
      expect(await offerOf(later, people.ana)).toMatchObject({ status: 'OFFERED' });
      expect((await api.client.ok(REDEEM, { code: claim.code }, brand)).redeemClaim).toEqual({ __typename: 'Claim', status: 'REDEEMED' });
      // Their export still holds everything, the scores included.
      const exported = (await api.client.ok(EXPORT, {}, owner)).exportMyData;
      expect(exported.profile.optedIn).toBe(false);
      expect(new Date(exported.profile.optedOutAt).toISOString()).toBe(receipts[0].optedOutAt);
      expect(exported.scores.history).toHaveLength(rowsBefore);
    });

    it('opts in again at once with the scores the current run computed before the opt-out', async () => {
      const { optIn } = await api.client.ok(OPT_IN, {}, owner);
      expect(optIn).toMatchObject({ id: owner.influencerId, optedInAt: expect.any(String), optedOutAt: null, score: expect.any(Number) });
      const again = (await api.client.ok(OPT_IN, {}, owner)).optIn;
      expect(again.optedInAt).toBe(optIn.optedInAt);
      expect((await api.client.ok(INFLUENCER, { id: owner.influencerId }, brand)).influencer.id).toBe(owner.influencerId);
    });

    it('is skipped by a score run while opted out, and scored by the next one after opting in', async () => {
      expect((await api.client.ok(OPT_OUT, {}, owner)).optOut.offersWithdrawn).toBe(0);
      const runId = await runScores(0);
      const [{ n }] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM influencer_scores WHERE run_id = $1 AND influencer_id = $2`,
        [runId, owner.influencerId],
      );
      expect(n).toBe(0);
      // Opted in again after that run: eligible from the next run (the current one has no score for them).
      const { optIn } = await api.client.ok(OPT_IN, {}, owner);
      expect(optIn.score).toBeNull();
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const loaded = await loadModelInput(client, windowOf(dateOf(0)), () => undefined);
        const ids = Array.from({ length: loaded.model.influencers.count }, (_, i) => uuidOf(loaded.influencerIds, i));
        expect(ids).toContain(owner.influencerId);
      } finally {
        await client.end();
      }
    });

    it('is refused to anyone but a signed-in influencer', async () => {
      for (const document of [OPT_OUT, OPT_IN]) {
        expect((await api.client.request(document)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect((await api.client.request(document, {}, brand)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });
  });
});
