import { randomBytes } from 'node:crypto';
import { logger } from '../../src/core/logger';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectAccount, connectorKey, connectVerified, establishedFans, xInteraction } from './accounts';
import { startTestApi, type TestApi } from './api';
import { createScratchDatabase } from './database';
import { day, dateOf } from './dates';
import { campaignInput, createdCampaign } from './fixtures';
import { logInAdmin, signUp, type Person, type SignedUp } from './graphql';
import { suitePrefix } from './worker';

/*
 * The world of the own-data suites (test/e2e/own-data*.test.ts): an influencer with a proven X
 * link and a pending Instagram one, two other influencers, two score runs, three live campaigns
 * of one brand (one offer claimed, with an idempotency key), and the brand listening to claims.
 */

export const EXPORT = `{ exportMyData }`;
export const ELIGIBILITY = `query($campaignId: ID!, $influencerId: ID!) {
  eligibility(campaignId: $campaignId, influencerId: $influencerId) { eligible reasons { condition message } } }`;
export const INGEST = `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted rejected } } }`;
export const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  __typename ... on Campaign { id targeting { languages conditions } } ... on ErrorResult { message } } }`;
export const CLAIM = `mutation($offerId: ID!, $key: String) { claimOffer(offerId: $offerId, idempotencyKey: $key) {
  __typename ... on Claim { id code status } ... on ErrorResult { errorCode } } }`;

export interface OwnDataWorld {
  tag: string;
  name: string;
  handles: { readonly X: string; readonly INSTAGRAM: string };
  /** Prefix of the network ids of their posts and of interactions with them. */
  activityIds: string;
  handleOf: (who: string) => string;
  database: { url: string; drop: () => Promise<void> };
  api: TestApi;
  connector: string;
  brand: SignedUp;
  owner: Person;
  people: Record<'hub' | 'ana', Person>;
  links: { X: string; INSTAGRAM: string; hub: string; anaPending: string };
  campaigns: { claimed: string; open: string; french: string };
  claim: { id: string; code: string };
  idempotencyKey: string;
  /** A launched campaign of the brand, matched: its id. */
  campaign: (label: string, targeting?: Record<string, unknown>) => Promise<string>;
  offerOf: (campaignId: string, who: Person) => Promise<{ id: string; status: string } | undefined>;
  /** Computes the run of the day `daysAgo` days back in this process: its id. */
  runScores: (daysAgo: number) => Promise<number>;
  /** The owner's eligibility for a campaign, as the brand asks it. */
  eligibility: (campaignId: string) => Promise<{ eligible: boolean; reasons: Array<{ condition: string; message: string }> }>;
  stop: () => Promise<void>;
}

/** Builds the world before the suite's tests (handing it to `use`) and drops it after them. */
export function withOwnDataWorld(use: (world: OwnDataWorld) => void): void {
  let world: OwnDataWorld | undefined;
  beforeAll(async () => {
    world = await ownDataWorld();
    use(world);
  }, 180_000);
  afterAll(async () => {
    await world?.stop();
  });
}

export async function ownDataWorld(): Promise<OwnDataWorld> {
  const database = await createScratchDatabase('own_data');
  let api: TestApi | undefined;
  const stop = async () => {
    await api?.stop();
    await database.drop();
  };
  try {
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('own-data') });
    return await populate(database, api, stop);
  } catch (error) {
    await stop(); // the suite's afterAll has no world to stop
    throw error;
  }
}

async function populate(database: OwnDataWorld['database'], api: TestApi, stop: () => Promise<void>): Promise<OwnDataWorld> {
  const tag = randomBytes(4).toString('hex');
  const name = `Olga Own ${tag}`;
  const handles = { X: `own_${tag}`, INSTAGRAM: `own.gram_${tag}` } as const;
  const activityIds = `own-${tag}`;
  const handleOf = (who: string) => `${who}_${tag}`;

  const admin = await logInAdmin(api.client);
  const connector = await connectorKey(api.client, admin);
  const brand = await signUp(api.client, 'BRAND');

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
  const campaign = (label: string, targeting: Record<string, unknown> = {}): Promise<string> =>
    createdCampaign(api, brand, {
      ...campaignInput(label),
      perk: { title: 'Tasting kit', kind: 'PRODUCT', valueCents: 2500, currency: 'EUR' },
      targeting,
    });
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

  // The brand listens to claim events, so what it was told about the person is in webhook_events.
  await api.dataSource.query(
    `INSERT INTO webhook_endpoints (organization_id, url, events, secret) VALUES ($1, 'https://93.184.215.14/x', '{claim.created}', $2)`,
    [brand.organizationId, `whsec_${randomBytes(32).toString('base64url')}`],
  );

  const owner = await person(name, { country: 'FR', language: 'fr' });
  const eligibility = async (campaignId: string) =>
    (await api.client.ok(ELIGIBILITY, { campaignId, influencerId: owner.influencerId }, brand)).eligibility;
  const people = { hub: await person(`Hub ${tag}`), ana: await person(`Ana ${tag}`, { language: 'de' }) };
  const links = {
    X: await prove(owner, 'X', handles.X),
    INSTAGRAM: (await connectAccount(api.client, owner, { network: 'INSTAGRAM', handle: handles.INSTAGRAM })).id, // left PENDING
    hub: await prove(people.hub, 'X', handleOf('hub')),
    anaPending: (await connectAccount(api.client, people.ana, { network: 'TIKTOK', handle: handleOf('ana') })).id,
  };
  await prove(people.ana, 'X', handleOf('ana'));

  const fans = await establishedFans(api.client, connector, tag, 10);
  const at = (n: number) => day(n).toISOString();
  const interaction = xInteraction;
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
  const campaigns = {
    claimed: await campaign('Claimed one'),
    open: await campaign('Open one'),
    french: await campaign('French one', { languages: ['FR', 'fr'] }),
  };
  const idempotencyKey = `${activityIds}-key`;
  const { claimOffer } = await api.client.ok(CLAIM, { offerId: (await offerOf(campaigns.claimed, owner))!.id, key: idempotencyKey }, owner);
  expect(claimOffer).toMatchObject({ __typename: 'Claim', status: 'ACTIVE' });
  const claim = claimOffer;

  return {
    tag,
    name,
    handles,
    activityIds,
    handleOf,
    database,
    api,
    connector,
    brand,
    owner,
    people,
    links,
    campaigns,
    claim,
    idempotencyKey,
    campaign,
    offerOf,
    runScores,
    eligibility,
    stop,
  };
}
