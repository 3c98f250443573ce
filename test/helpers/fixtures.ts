import { randomUUID } from 'node:crypto';
import { logger } from '../../src/core/logger';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectAccount, connectVerified } from './accounts';
import type { TestApi } from './api';
import { dateOf } from './dates';
import { logInAdmin, signUp, type Credentials, type Person, type SignedUp } from './graphql';

/**
 * Everyone the authorization matrix asks on behalf of. "A" and "B" are two tenants: brand A (with
 * agency A acting for it) and brand B; influencer A and B are two opted-in people who were offered
 * both brands' perks.
 */
export const PRINCIPALS = [
  'anonymous',
  'revokedKey',
  'connectorKey',
  'agencyNoClients',
  'brandB',
  'influencerA',
  'influencerB',
  'brandA',
  'agencyForA',
  'brandKeyA',
  'searchKeyA',
  'admin',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export const PRINCIPAL_NOTES: Record<PrincipalName, string> = {
  anonymous: 'no credentials',
  revokedKey: "brand A's key with every organisation scope, revoked",
  connectorKey: 'INGEST key issued by the admin (no organisation)',
  agencyNoClients: 'an agency no brand granted',
  brandB: 'member of brand B',
  influencerA: 'influencer A',
  influencerB: 'influencer B',
  brandA: 'member of brand A',
  agencyForA: 'member of the agency brand A granted (addAgencyClient)',
  brandKeyA: "brand A's key with SEARCH, CAMPAIGNS and REDEEM",
  searchKeyA: "brand A's key with SEARCH only",
  admin: 'the operator',
};

/** What one tenant owns. Offers and claims are influencer X's on brand X's campaigns unless said otherwise. */
export interface Side {
  brandId: string;
  influencerId: string;
  influencerUserId: string;
  handle: string;
  /** Influencer X's link to `handle`, VERIFIED (its code seen in the bio by the connector). */
  accountId: string;
  /** Influencer X's link to another handle, left PENDING: its code is X's to see only. */
  pendingAccountId: string;
  campaigns: { live1: string; live2: string; draft: string };
  names: { live1: string };
  /** Influencer X's claim on live1 (for cancelClaim). */
  cancelClaimId: string;
  /** Influencer X's claim on live2, made with an idempotency key (claimOffer replays it; redeemClaim redeems its code). */
  keyedClaim: { id: string; code: string; offerId: string; idempotencyKey: string };
  /** Influencer X's open offer on the other brand's live1 (for declineOffer). */
  openOfferId: string;
  /** A SEARCH key of brand X, to be revoked. */
  apiKeyId: string;
  /** Brand X's webhook endpoint (a public URL no one listens on; no worker runs in the matrix). */
  webhookEndpointId: string;
}

export interface World {
  api: TestApi;
  credentials: Record<PrincipalName, Credentials>;
  /** The user behind each person principal. */
  userIds: Partial<Record<PrincipalName, string>>;
  A: Side;
  B: Side;
  agencyForAId: string;
  agencyNoClientsId: string;
  /** Agencies no principal belongs to: targets of grants the matrix adds and removes. */
  spareAgencyId: string;
  /** Granted by brand A at setup; removeAgencyClient may withdraw it. */
  removableAgencyId: string;
  connectorKeyId: string;
  brandKeyAId: string;
  searchKeyAId: string;
  revokedKeyId: string;
  /** A second operator-issued INGEST key, to be revoked. */
  operatorKeyId: string;
  scoreRunId: number;
  scoreRunDate: string;
  /** A third influencer, for destructive self-service (eraseMyData). */
  influencerC: SignedUp & { influencerId: string };
}

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key apiKey { id } } ... on ErrorResult { message } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`;
const ADD_AGENCY = `mutation($brandId: ID!, $agencyId: ID!) { addAgencyClient(brandId: $brandId, agencyId: $agencyId) { __typename } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id } ... on ErrorResult { message } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { __typename ... on Campaign { status } } }`;
const CREATE_WEBHOOK = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ... on WebhookEndpointCreated { endpoint { id } } ... on ErrorResult { message } } }`;
const CLAIM = `mutation($offerId: ID!, $key: String) { claimOffer(offerId: $offerId, idempotencyKey: $key) { __typename ... on Claim { id code } ... on ErrorResult { message } } }`;

export function socialAccountInput(handle: string) {
  return { network: 'X', handle, followers: 1500, following: 200, accountCreatedAt: '2019-03-01T00:00:00Z', verified: false };
}

/**
 * `count` influencers signed up through the API, then one score run (for yesterday) done
 * in-process, as the worker would: matching offers only to scored people. Start a worker after it:
 * its recovery job would resume the run beside the caller.
 */
export async function scoredInfluencers(api: TestApi, count: number): Promise<Person[]> {
  const signed = await Promise.all(Array.from({ length: count }, () => signUp(api.client, 'INFLUENCER', { country: 'FR' })));
  const ids: Array<{ id: string; user_id: string }> = await api.dataSource.query(`SELECT id, user_id FROM influencers`);
  const people = signed.map((p) => ({ ...p, influencerId: ids.find((r) => r.user_id === p.userId)!.id }));
  const run = await api.services.scoring.requestRun(dateOf(1), ScoreRunTrigger.ADMIN);
  await api.services.scoring.execute(run.id, logger());
  return people;
}

export function campaignInput(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    perk: { title: `${name} perk`, kind: 'PRODUCT', valueCents: 2500, currency: 'EUR' },
    inventory: 10,
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ...extra,
  };
}

/**
 * A campaign `brand` creates through the API, launched when `launch` (the default) and then matched
 * in-process, as the worker would: every scored, eligible influencer holds an offer.
 */
export async function createdCampaign(api: TestApi, brand: Credentials, input: Record<string, unknown>, launch = true): Promise<string> {
  const { createCampaign } = await api.client.ok(CREATE_CAMPAIGN, { input }, brand);
  if (createCampaign.__typename !== 'Campaign') throw new Error(createCampaign.message);
  if (launch) {
    const { launchCampaign } = await api.client.ok(LAUNCH, { id: createCampaign.id }, brand);
    if (launchCampaign.status !== 'ACTIVE') throw new Error(`launch failed: ${JSON.stringify(launchCampaign)}`);
    await api.services.matching.matchCampaign(createCampaign.id);
  }
  return createCampaign.id as string;
}

/**
 * Builds the two tenants through the API (sign-ups, grants, keys, accounts, campaigns, claims), with
 * one score run and one match per live campaign done in-process, the way the worker would.
 */
export async function buildWorld(api: TestApi): Promise<World> {
  const { client } = api;
  const [brandA, brandB, agencyA, agencyNone, spareAgency, removableAgency, infA, infB, infC] = await Promise.all([
    signUp(client, 'BRAND', { organizationName: 'Brand A' }),
    signUp(client, 'BRAND', { organizationName: 'Brand B' }),
    signUp(client, 'AGENCY', { organizationName: 'Agency for A' }),
    signUp(client, 'AGENCY', { organizationName: 'Agency without clients' }),
    signUp(client, 'AGENCY', { organizationName: 'Spare agency' }),
    signUp(client, 'AGENCY', { organizationName: 'Removable agency' }),
    signUp(client, 'INFLUENCER', { country: 'FR' }),
    signUp(client, 'INFLUENCER', { country: 'DE' }),
    signUp(client, 'INFLUENCER', { country: 'FR' }),
  ]);
  const adminToken = await logInAdmin(client);
  const admin = { token: adminToken };

  for (const agency of [agencyA, removableAgency]) {
    const granted = await client.ok(ADD_AGENCY, { brandId: brandA.organizationId, agencyId: agency.organizationId }, brandA);
    if (granted.addAgencyClient.__typename !== 'AgencyClientGrant') throw new Error('grant failed');
  }

  const createKey = async (who: Credentials, name: string, scopes: string[]) => {
    const { createApiKey } = await client.ok(CREATE_KEY, { input: { name, scopes } }, who);
    if (!createApiKey.key) throw new Error(`key creation failed: ${createApiKey.message}`);
    return { key: createApiKey.key as string, id: createApiKey.apiKey.id as string };
  };
  const connector = await createKey(admin, 'connector', ['INGEST']);

  // Each influencer proves one account (the connector reads its bio) and leaves another PENDING.
  const suffix = randomUUID().slice(0, 8);
  const handles = { A: `authz_a_${suffix}`, B: `authz_b_${suffix}` };
  const accountIds = {
    A: await connectVerified(client, infA, connector.key, socialAccountInput(handles.A)),
    B: await connectVerified(client, infB, connector.key, socialAccountInput(handles.B)),
  };
  const pendingIds = {
    A: (await connectAccount(client, infA, socialAccountInput(`${handles.A}_2`))).id,
    B: (await connectAccount(client, infB, socialAccountInput(`${handles.B}_2`))).id,
  };
  const operatorKey = await createKey(admin, 'spare connector', ['INGEST']);
  const brandKeyA = await createKey(brandA, 'brand A terminal', ['CAMPAIGNS', 'REDEEM', 'SEARCH']);
  const searchKeyA = await createKey(brandA, 'brand A search tool', ['SEARCH']);
  const keyA = await createKey(brandA, 'brand A search', ['SEARCH']);
  const keyB = await createKey(brandB, 'brand B search', ['SEARCH']);
  const revoked = await createKey(brandA, 'brand A old terminal', ['CAMPAIGNS', 'REDEEM', 'SEARCH']);
  await client.ok(REVOKE_KEY, { id: revoked.id }, brandA);

  const influencerIds: Array<{ id: string; user_id: string }> = await api.dataSource.query(
    `SELECT id, user_id FROM influencers WHERE user_id = ANY($1)`,
    [[infA.userId, infB.userId, infC.userId]],
  );
  const influencerIdOf = (user: SignedUp) => influencerIds.find((r) => r.user_id === user.userId)!.id;

  // Every opted-in influencer gets a score (10 without engagement), which offers and claims need.
  const scoreRunDate = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const run = await api.services.scoring.requestRun(scoreRunDate, ScoreRunTrigger.ADMIN);
  await api.services.scoring.execute(run.id, logger());

  const campaign = (brand: SignedUp, name: string, launch: boolean) => createdCampaign(api, brand, campaignInput(name), launch);
  const campaigns = {
    A: {
      live1: await campaign(brandA, 'A live 1', true),
      live2: await campaign(brandA, 'A live 2', true),
      draft: await campaign(brandA, 'A draft', false),
    },
    B: {
      live1: await campaign(brandB, 'B live 1', true),
      live2: await campaign(brandB, 'B live 2', true),
      draft: await campaign(brandB, 'B draft', false),
    },
  };

  const offerOf = async (influencerId: string, campaignId: string): Promise<string> => {
    const [row] = await api.dataSource.query(`SELECT id FROM offers WHERE influencer_id = $1 AND campaign_id = $2`, [
      influencerId,
      campaignId,
    ]);
    if (!row) throw new Error(`no offer for ${influencerId} on ${campaignId}`);
    return row.id;
  };
  const claim = async (who: SignedUp, offerId: string, key?: string) => {
    const { claimOffer } = await client.ok(CLAIM, { offerId, key }, who);
    if (claimOffer.__typename !== 'Claim') throw new Error(`claim failed: ${JSON.stringify(claimOffer)}`);
    return claimOffer as { id: string; code: string };
  };

  const side = async (
    brand: SignedUp,
    influencer: SignedUp,
    handle: string,
    own: typeof campaigns.A,
    other: typeof campaigns.A,
    apiKeyId: string,
  ): Promise<Side> => {
    const influencerId = influencerIdOf(influencer);
    const cancelClaim = await claim(influencer, await offerOf(influencerId, own.live1));
    const keyedOfferId = await offerOf(influencerId, own.live2);
    const idempotencyKey = randomUUID();
    const keyed = await claim(influencer, keyedOfferId, idempotencyKey);
    const { createWebhookEndpoint } = await client.ok(
      CREATE_WEBHOOK,
      { input: { organizationId: brand.organizationId, url: 'https://93.184.215.14/hooks', events: ['CLAIM_CREATED'] } },
      brand,
    );
    if (createWebhookEndpoint.__typename !== 'WebhookEndpointCreated') throw new Error(createWebhookEndpoint.message);
    return {
      brandId: brand.organizationId!,
      influencerId,
      influencerUserId: influencer.userId,
      handle,
      accountId: own === campaigns.A ? accountIds.A : accountIds.B,
      pendingAccountId: own === campaigns.A ? pendingIds.A : pendingIds.B,
      campaigns: own,
      names: { live1: own === campaigns.A ? 'A live 1' : 'B live 1' },
      cancelClaimId: cancelClaim.id,
      keyedClaim: { id: keyed.id, code: keyed.code, offerId: keyedOfferId, idempotencyKey },
      openOfferId: await offerOf(influencerId, other.live1),
      apiKeyId,
      webhookEndpointId: createWebhookEndpoint.endpoint.id,
    };
  };

  return {
    api,
    credentials: {
      anonymous: {},
      revokedKey: { apiKey: revoked.key },
      connectorKey: { apiKey: connector.key },
      agencyNoClients: { token: agencyNone.token },
      brandB: { token: brandB.token },
      influencerA: { token: infA.token },
      influencerB: { token: infB.token },
      brandA: { token: brandA.token },
      agencyForA: { token: agencyA.token },
      brandKeyA: { apiKey: brandKeyA.key },
      searchKeyA: { apiKey: searchKeyA.key },
      admin,
    },
    userIds: {
      agencyNoClients: agencyNone.userId,
      brandB: brandB.userId,
      influencerA: infA.userId,
      influencerB: infB.userId,
      brandA: brandA.userId,
      agencyForA: agencyA.userId,
      admin: (await client.ok(`{ me { id } }`, {}, admin)).me.id,
    },
    A: await side(brandA, infA, handles.A, campaigns.A, campaigns.B, keyA.id),
    B: await side(brandB, infB, handles.B, campaigns.B, campaigns.A, keyB.id),
    agencyForAId: agencyA.organizationId!,
    agencyNoClientsId: agencyNone.organizationId!,
    spareAgencyId: spareAgency.organizationId!,
    removableAgencyId: removableAgency.organizationId!,
    connectorKeyId: connector.id,
    brandKeyAId: brandKeyA.id,
    searchKeyAId: searchKeyA.id,
    revokedKeyId: revoked.id,
    operatorKeyId: operatorKey.id,
    scoreRunId: run.id,
    scoreRunDate,
    influencerC: { ...infC, influencerId: influencerIdOf(infC) },
  };
}

/**
 * Every row a brand owns or that hangs off it, as JSON: what an outsider's requests must leave
 * exactly as they found it.
 */
export async function tenantSnapshot(api: TestApi, brandId: string): Promise<string> {
  const q = (sql: string) => api.dataSource.query(sql, [brandId]);
  const campaigns = `SELECT id FROM campaigns WHERE brand_id = $1`;
  const parts = await Promise.all([
    q(`SELECT * FROM organizations WHERE id = $1`),
    q(`SELECT * FROM memberships WHERE organization_id = $1 ORDER BY user_id`),
    q(`SELECT * FROM agency_clients WHERE brand_id = $1 ORDER BY agency_id`),
    q(`SELECT id, name, prefix, scopes, revoked_at, last_used_at FROM api_keys WHERE organization_id = $1 ORDER BY id`),
    q(`SELECT * FROM campaigns WHERE brand_id = $1 ORDER BY id`),
    q(`SELECT * FROM offers WHERE campaign_id IN (${campaigns}) ORDER BY id`),
    q(`SELECT * FROM claims WHERE campaign_id IN (${campaigns}) ORDER BY id`),
    q(
      `SELECT r.* FROM claim_requests r JOIN offers o ON o.id = r.offer_id WHERE o.campaign_id IN (${campaigns}) ORDER BY r.influencer_id, r.idempotency_key`,
    ),
  ]);
  return JSON.stringify(parts);
}
