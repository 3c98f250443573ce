import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ConsentService } from '../../src/modules/privacy/consent.service';
import { computeScores, type ModelResult } from '../../src/modules/scoring/score-model';
import { loadModelInput, windowOf } from '../../src/modules/scoring/score-run-loader';
import { dateOf, uuidOf } from '../helpers/dates';
import { CREATE, ELIGIBILITY, EXPORT, withOwnDataWorld, type OwnDataWorld } from '../helpers/own-data';

/*
 * Issue 14, item 4: an influencer's own data through the API. updateMyProfile (and LANGUAGES
 * targeting reading it at once), disconnectSocialAccount, optOut / optIn, in this order (each
 * builds on what the one before changed). exportMyData: own-data-export.test.ts; the world both
 * build: test/helpers/own-data.ts.
 */

const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
  __typename ... on Influencer { id displayName country language } } }`;
const DISCONNECT = `mutation($id: ID!) { disconnectSocialAccount(id: $id) { id network handle wasVerified disconnectedAt } }`;
const OPT_OUT = `mutation { optOut { __typename ... on OptOutReceipt { optedOutAt offersWithdrawn activeClaimsKept } ... on ErrorResult { errorCode } } }`;
const OPT_IN = `mutation { optIn { id optedInAt optedOutAt score } }`;
const ME = `{ me { influencer { id displayName country language optedInAt optedOutAt score outreach activity topics { score } scoreHistory(days: 30) { runDate }
  scoreExplanation { score } socialAccounts { id network handle } } } }`;
const INFLUENCER = `query($id: ID!) { influencer(id: $id) { id score } }`;
const SEARCH = `query($targeting: TargetingInput) { eligibleInfluencers(targeting: $targeting, first: 100) { totalCount edges { node { id } } } }`;
const MY_CLAIMS = `{ myClaims(first: 10) { edges { node { id code status } } } }`;
const MY_OFFERS = `{ myOffers(first: 10) { edges { node { id status } } } }`;
const REDEEM = `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;

type Row = Record<string, any>;

describe('their own data: profile, opting out, disconnecting (real Postgres and Redis)', () => {
  let { name, handles, handleOf, database, api, brand, owner, people } = {} as OwnDataWorld;
  let { links, campaigns, claim, campaign, offerOf, runScores, eligibility } = {} as OwnDataWorld;
  withOwnDataWorld((world) => {
    ({ name, handles, handleOf, database, api, brand, owner, people } = world);
    ({ links, campaigns, claim, campaign, offerOf, runScores, eligibility } = world);
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
