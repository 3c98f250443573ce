import { randomUUID } from 'node:crypto';
import { expectMember } from '../../src/client/execute';
import {
  ClaimOfferDocument,
  CreateCampaignDocument,
  LaunchCampaignDocument,
  RedeemClaimDocument,
  type CreateCampaignInput,
} from '../../src/client/generated/graphql';
import { logger } from '../../src/core/logger';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectAccount, connectVerified } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { campaignInput, socialAccountInput } from '../helpers/fixtures';
import { logInAdmin, signUp, type Credentials, type SignedUp } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreatedApiKey { key } ... on ErrorResult { message } } }`;
const LEDGER = `query($id: ID!, $status: ClaimStatus, $first: Int!, $after: String) {
  campaign(id: $id) {
    claims(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id status code claimedAt redeemedAt cancelledAt campaignId influencer { id displayName handles { network handle } } offer { campaignName } } }
    }
  }
}`;
const MY_CLAIMS = `query($status: ClaimStatus, $first: Int!, $after: String) {
  myClaims(status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id status code campaignId influencer { id displayName handles { handle } } offer { campaignName perk { title } } } }
  }
}`;

/** A display name a spreadsheet would run as a formula, with a quote and a comma to quote. */
const HOSTILE_NAME = '=HYPERLINK("http://evil.example","click"), ok';
const BULK = 300;

describe('the claims ledger: Campaign.claims, myClaims and the CSV export (real Postgres and Redis)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let brandA: SignedUp;
  let brandB: SignedUp;
  let agencyForA: SignedUp;
  let agencyNoClients: SignedUp;
  let hostile: SignedUp & { influencerId: string };
  let plain: SignedUp & { influencerId: string };
  let keys: { campaigns: string; search: string };
  let admin: Credentials;
  let campaignA: string;
  let campaignB: string;
  let bulk: string;
  let handles: { verified: string; pending: string };
  const claims: Record<string, { id: string; code: string }> = {};

  const ledger = async (who: Credentials, id: string, vars: Record<string, unknown> = {}) =>
    api.client.request(LEDGER, { id, first: 100, ...vars }, who);
  const csv = (who: Credentials, id: string, query = '') => {
    const headers: Record<string, string> = {};
    if (who.token) headers.authorization = `Bearer ${who.token}`;
    if (who.apiKey) headers['x-api-key'] = who.apiKey;
    return fetch(`${api.url}/exports/campaigns/${id}/claims.csv${query}`, { headers: { ...headers, ...who.headers } });
  };
  /** Splits CSV text into records of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
  const parseCsv = (text: string): string[][] => {
    const records: string[][] = [];
    let record: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') (record.push(cell), (cell = ''));
      else if (ch === '\r' && text[i + 1] === '\n') (record.push(cell), records.push(record), (record = []), (cell = ''), i++);
      else cell += ch;
    }
    expect(cell).toBe('');
    expect(record).toEqual([]);
    return records;
  };

  beforeAll(async () => {
    database = await createScratchDatabase('ledger');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('ledger') });
    const { client } = api;
    [brandA, brandB, agencyForA, agencyNoClients] = await Promise.all([
      signUp(client, 'BRAND'),
      signUp(client, 'BRAND'),
      signUp(client, 'AGENCY'),
      signUp(client, 'AGENCY'),
    ]);
    const [h, p] = await Promise.all([
      signUp(client, 'INFLUENCER', { country: 'FR', name: HOSTILE_NAME }),
      signUp(client, 'INFLUENCER', { country: 'FR', name: 'Plain Person' }),
    ]);
    const ids: Array<{ id: string; user_id: string }> = await api.dataSource.query(`SELECT id, user_id FROM influencers`);
    const idOf = (u: SignedUp) => ids.find((r) => r.user_id === u.userId)!.id;
    hostile = { ...h, influencerId: idOf(h) };
    plain = { ...p, influencerId: idOf(p) };
    await client.ok(
      `mutation($b: ID!, $a: ID!) { addAgencyClient(brandId: $b, agencyId: $a) { __typename } }`,
      { b: brandA.organizationId, a: agencyForA.organizationId },
      brandA,
    );
    admin = { token: await logInAdmin(client) };
    const key = async (who: Credentials, scopes: string[]) => {
      const { createApiKey } = await client.ok(CREATE_KEY, { input: { name: 'k', scopes } }, who);
      if (!createApiKey.key) throw new Error(createApiKey.message);
      return createApiKey.key as string;
    };
    const connector = await key(admin, ['INGEST']);
    keys = { campaigns: await key(brandA, ['CAMPAIGNS']), search: await key(brandA, ['SEARCH']) };
    const suffix = randomUUID().slice(0, 8);
    handles = { verified: `ledger_v_${suffix}`, pending: `ledger_p_${suffix}` };
    await connectVerified(client, hostile, connector, socialAccountInput(handles.verified));
    await connectAccount(client, hostile, socialAccountInput(handles.pending));

    const run = await api.services.scoring.requestRun(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
    const campaign = async (brand: SignedUp, name: string) => {
      // The brand's and the influencer's example operations (examples/, typed by src/client/generated).
      const input = campaignInput(name) as CreateCampaignInput;
      const created = expectMember((await client.ok(CreateCampaignDocument, { input }, brand)).createCampaign, 'Campaign');
      expect(expectMember((await client.ok(LaunchCampaignDocument, { id: created.id }, brand)).launchCampaign, 'Campaign').status).toBe(
        'ACTIVE',
      );
      await api.services.matching.matchCampaign(created.id);
      return created.id;
    };
    campaignA = await campaign(brandA, 'Ledger A');
    campaignB = await campaign(brandB, 'Ledger B');
    const claim = async (who: SignedUp & { influencerId: string }, campaignId: string) => {
      const [offer] = await api.dataSource.query(`SELECT id FROM offers WHERE influencer_id = $1 AND campaign_id = $2`, [
        who.influencerId,
        campaignId,
      ]);
      const claimed = expectMember((await client.ok(ClaimOfferDocument, { offerId: offer.id }, who)).claimOffer, 'Claim');
      return { id: claimed.id, code: claimed.code! };
    };
    claims.hostileA = await claim(hostile, campaignA);
    claims.plainA = await claim(plain, campaignA);
    claims.hostileB = await claim(hostile, campaignB);
    expectMember((await client.ok(RedeemClaimDocument, { code: claims.plainA.code }, brandA)).redeemClaim, 'Claim');

    // A campaign with a few hundred claims, written in SQL: many share one claimed_at (one
    // statement's now()) and the rest differ by microseconds, which a millisecond cursor cannot tell apart.
    const [{ id }] = await api.dataSource.query(
      `INSERT INTO campaigns (brand_id, name, perk_title, perk_kind, perk_value_cents, perk_currency, inventory, remaining, starts_at, ends_at,
                              offer_lifetime_hours, max_outstanding_offers, status)
       VALUES ($1, 'Bulk', 'Bulk perk', 'PRODUCT', 100, 'EUR', $2, 0, now(), now() + interval '30 days', 72, 1, 'SOLD_OUT') RETURNING id`,
      [brandA.organizationId, BULK],
    );
    bulk = id;
    await api.dataSource.query(
      `WITH i AS (INSERT INTO influencers (display_name, opted_in_at) SELECT 'Bulk ' || g, now() FROM generate_series(1, $2) g RETURNING id),
            o AS (INSERT INTO offers (campaign_id, influencer_id, status, priority, expires_at, closed_at)
                  SELECT $1, id, 'CLAIMED', 1, now() + interval '1 day', now() FROM i RETURNING id, influencer_id),
            n AS (SELECT o.*, row_number() OVER (ORDER BY o.id) AS k FROM o)
       INSERT INTO claims (offer_id, campaign_id, influencer_id, code, status, claimed_at, redeemed_at, cancelled_at)
       SELECT n.id, $1, n.influencer_id, 'BULK-' || n.id,
              (CASE WHEN k % 3 = 0 THEN 'REDEEMED' WHEN k % 5 = 0 THEN 'CANCELLED' ELSE 'ACTIVE' END)::claim_status,
              CASE WHEN k <= 150 THEN now() ELSE now() - k * interval '1 microsecond' END,
              CASE WHEN k % 3 = 0 THEN now() END, CASE WHEN k % 3 <> 0 AND k % 5 = 0 THEN now() END
       FROM n`,
      [bulk, BULK],
    );
  }, 180_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('pages a campaign newest first on keyset cursors, with totalCount, for every status filter', async () => {
    const expected: Array<{ id: string; status: string }> = await api.dataSource.query(
      `SELECT id, status FROM claims WHERE campaign_id = $1 ORDER BY claimed_at DESC, id DESC`,
      [bulk],
    );
    for (const status of [undefined, 'ACTIVE', 'REDEEMED', 'CANCELLED']) {
      const want = expected.filter((c) => !status || c.status === status).map((c) => c.id);
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; ; page++) {
        const response = await ledger(brandA, bulk, { status, first: 70, after });
        expect(response.errors).toBeUndefined();
        const connection = response.data.campaign.claims;
        expect(connection.totalCount).toBe(want.length);
        expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
        for (const { node } of connection.edges) {
          seen.push(node.id);
          if (status) expect(node.status).toBe(status);
          expect(node.code).toBeNull();
        }
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(seen).toEqual(want);
    }
    // A forged cursor is refused, not read.
    const forged = await ledger(brandA, bulk, { after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows the brand who holds each claim (verified handles only) and never the code', async () => {
    const response = await ledger(brandA, campaignA);
    expect(response.errors).toBeUndefined();
    const { totalCount, edges } = response.data.campaign.claims;
    expect(totalCount).toBe(2);
    const byId = new Map(edges.map((e: any) => [e.node.id, e.node]));
    const held: any = byId.get(claims.hostileA.id);
    expect(held).toMatchObject({
      status: 'ACTIVE',
      code: null,
      campaignId: campaignA,
      redeemedAt: null,
      cancelledAt: null,
      influencer: { id: hostile.influencerId, displayName: HOSTILE_NAME, handles: [{ network: 'X', handle: handles.verified }] },
      offer: { campaignName: 'Ledger A' },
    });
    const redeemed: any = byId.get(claims.plainA.id);
    expect(redeemed).toMatchObject({ status: 'REDEEMED', code: null, influencer: { id: plain.influencerId, handles: [] } });
    expect(redeemed.redeemedAt).not.toBeNull();
    expect(JSON.stringify(response.data)).not.toContain(claims.hostileA.code);
    expect(JSON.stringify(response.data)).not.toContain(handles.pending);

    // The managers: the granted agency and a CAMPAIGNS key of the brand, and the operator.
    for (const who of [{ token: agencyForA.token }, { apiKey: keys.campaigns }, admin]) {
      const other = await ledger(who, campaignA);
      expect(other.errors).toBeUndefined();
      expect(other.data.campaign.claims.totalCount).toBe(2);
      expect(JSON.stringify(other.data)).not.toContain(claims.hostileA.code);
    }
  });

  it('gives the ledger to nobody else: other brand and ungranted agency NOT_FOUND, influencers and SEARCH keys FORBIDDEN', async () => {
    const missing = await ledger(brandB, randomUUID());
    for (const [who, code] of [
      [brandB, 'NOT_FOUND'],
      [agencyNoClients, 'NOT_FOUND'],
      [hostile, 'FORBIDDEN'],
      [{ apiKey: keys.search }, 'FORBIDDEN'],
      [{}, 'UNAUTHENTICATED'],
    ] as Array<[Credentials, string]>) {
      const response = await ledger(who, campaignA);
      expect(response.data?.campaign ?? null).toBeNull();
      expect(response.errors?.[0].extensions?.code).toBe(code);
      expect(response.raw).not.toContain(claims.hostileA.id);
      if (code === 'NOT_FOUND') expect(response.errors?.[0].message).toBe(missing.errors?.[0].message);
    }
    // Brand B sees its own campaign's ledger, where influencer A's claim is visible to it too.
    const own = await ledger(brandB, campaignB);
    expect(own.data.campaign.claims.edges.map((e: any) => e.node.id)).toEqual([claims.hostileB.id]);
  });

  it('lists an influencer their own claims, with codes, in every campaign, and nobody else’s', async () => {
    const mine = await api.client.request(MY_CLAIMS, { first: 1 }, hostile);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.myClaims.totalCount).toBe(2);
    expect(mine.data.myClaims.edges).toHaveLength(1);
    const next = await api.client.ok(MY_CLAIMS, { first: 1, after: mine.data.myClaims.pageInfo.endCursor }, hostile);
    expect(next.myClaims.pageInfo.hasNextPage).toBe(false);
    const nodes = [...mine.data.myClaims.edges, ...next.myClaims.edges].map((e: any) => e.node);
    // Newest first: the claim on B was made after the one on A.
    expect(nodes.map((n: any) => n.id)).toEqual([claims.hostileB.id, claims.hostileA.id]);
    expect(nodes.map((n: any) => n.code)).toEqual([claims.hostileB.code, claims.hostileA.code]);
    expect(nodes[0]).toMatchObject({
      influencer: { id: hostile.influencerId },
      offer: { campaignName: 'Ledger B', perk: { title: 'Ledger B perk' } },
    });

    const redeemed = await api.client.ok(MY_CLAIMS, { first: 10, status: 'REDEEMED' }, plain);
    expect(redeemed.myClaims.totalCount).toBe(1);
    expect(redeemed.myClaims.edges[0].node).toMatchObject({ id: claims.plainA.id, code: claims.plainA.code });
    expect((await api.client.ok(MY_CLAIMS, { first: 10, status: 'ACTIVE' }, plain)).myClaims.totalCount).toBe(0);

    for (const [who, code] of [
      [brandA, 'FORBIDDEN'],
      [{ apiKey: keys.campaigns }, 'FORBIDDEN'],
      [{}, 'UNAUTHENTICATED'],
    ] as Array<[Credentials, string]>) {
      expect((await api.client.request(MY_CLAIMS, { first: 10 }, who)).errors?.[0].extensions?.code).toBe(code);
    }
  });

  it('exports the ledger as CSV: headers, RFC 4180 quoting, formula guard, verified handles only', async () => {
    const response = await csv(brandA, campaignA);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${campaignA}-claims.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).not.toContain(claims.hostileA.code);
    expect(text).not.toContain(handles.pending);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'claim_id',
      'status',
      'claimed_at',
      'redeemed_at',
      'cancelled_at',
      'influencer_id',
      'influencer_display_name',
      'verified_handles',
    ]);
    expect(rows).toHaveLength(2);
    const held = rows.find((r) => r[0] === claims.hostileA.id)!;
    expect(held.slice(1, 2)).toEqual(['ACTIVE']);
    expect(held[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(held.slice(3)).toEqual(['', '', hostile.influencerId, `'${HOSTILE_NAME}`, `X:${handles.verified}`]);
    // The quoted cell as written: an apostrophe first, the quotes doubled.
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"",""click""), ok",`);
    const redeemed = rows.find((r) => r[0] === claims.plainA.id)!;
    expect(redeemed.slice(1, 2)).toEqual(['REDEEMED']);
    expect(redeemed[3]).not.toBe('');
    expect(redeemed.slice(5)).toEqual([plain.influencerId, 'Plain Person', '']);

    // The same principals as the ledger: a CAMPAIGNS key and the granted agency.
    expect((await csv({ apiKey: keys.campaigns }, campaignA)).status).toBe(200);
    expect((await csv(agencyForA, campaignA)).status).toBe(200);
  });

  it('refuses the export: 401 for bad credentials, 404 alike for missing and foreign campaigns, 400 for a bad status', async () => {
    for (const who of [{}, { token: 'not-a-token' }, { apiKey: 'pk_nope' }, { headers: { authorization: 'Basic abc' } }] as Credentials[]) {
      const response = await csv(who, campaignA);
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const bodies = new Set<string>();
    for (const [who, id] of [
      [brandB, campaignA],
      [agencyNoClients, campaignA],
      [brandA, randomUUID()],
      [brandA, 'not-an-id'],
    ] as Array<[Credentials, string]>) {
      const response = await csv(who, id);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      bodies.add(await response.text());
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('NOT_FOUND');
    for (const who of [hostile, { apiKey: keys.search }] as Credentials[]) expect((await csv(who, campaignA)).status).toBe(403);
    for (const query of ['?status=active', '?status=', '?status=ACTIVE&status=REDEEMED', '?status=EXPIRED']) {
      const response = await csv(brandA, campaignA, query);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('exports as many rows as the ledger counts, in its order, for each status filter', async () => {
    for (const status of [undefined, 'ACTIVE', 'REDEEMED', 'CANCELLED']) {
      const { data } = await ledger(brandA, bulk, { status, first: 1 });
      const response = await csv({ apiKey: keys.campaigns }, bulk, status ? `?status=${status}` : '');
      expect(response.status).toBe(200);
      if (status) expect(response.headers.get('content-disposition')).toContain(`-claims-${status.toLowerCase()}.csv`);
      const [, ...rows] = parseCsv(await response.text());
      expect(rows.length).toBe(data.campaign.claims.totalCount);
      expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
      if (status) expect(rows.every((r) => r[1] === status)).toBe(true);
      expect(rows[0][0]).toBe(data.campaign.claims.edges[0].node.id);
    }
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM claims WHERE campaign_id = $1`, [bulk]);
    expect(n).toBe(BULK);
  });

  it('keyset batches of the export agree with one ordered query, across equal and microsecond-apart timestamps', async () => {
    const expected: Array<{ id: string }> = await api.dataSource.query(
      `SELECT id FROM claims WHERE campaign_id = $1 ORDER BY claimed_at DESC, id DESC`,
      [bulk],
    );
    let text = '';
    for await (const chunk of api.services.claimsLedger.csv(bulk, undefined, 7)) text += chunk;
    const [, ...rows] = parseCsv(text);
    expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r.id));
  });

  it('stops cleanly when the client goes away, and keeps serving', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.url}/exports/campaigns/${bulk}/claims.csv`, {
      headers: { 'x-api-key': keys.campaigns },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    // Going away mid-stream. (A read after abort() can stay pending for good in undici on a loaded
    // machine, so the test does not wait on one: cancelling the reader settles at once.)
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const again = await csv(brandA, campaignA);
    expect(again.status).toBe(200);
    expect(parseCsv(await again.text())).toHaveLength(3);
  });
});
