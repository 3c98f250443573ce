import { expectMember } from '../../src/client/execute';
import {
  ClaimOfferDocument,
  CreateCampaignDocument,
  EndCampaignDocument,
  LaunchCampaignDocument,
  MarkNotificationsReadDocument,
  NotificationPreferencesDocument,
  RedeemClaimDocument,
  UpdateNotificationPreferencesDocument,
  type CreateCampaignInput,
} from '../../src/client/generated/graphql';
import { logger } from '../../src/core/logger';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { connectorKey, connectVerified, establishedAccount, ingestAccounts } from '../helpers/accounts';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { campaignInput } from '../helpers/fixtures';
import { logInAdmin, signUp, type SignedUp, type Person } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';
import { dateOf } from '../helpers/dates';

const CANCEL = `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { status } ... on ErrorResult { errorCode } } }`;
const INBOX = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id kind message createdAt readAt offerId claimId campaignId campaignName perkTitle expiresAt scoreBefore scoreAfter reason } }
  }
}`;
const UNREAD = `{ unreadNotificationCount }`;
// The brand's and the influencer's operations are examples/' typed documents (src/client/generated).

const DAY = 86_400_000;

interface Note {
  id: string;
  kind: string;
  message: string;
  readAt: string | null;
  offerId: string | null;
  claimId: string | null;
  campaignId: string | null;
  campaignName: string | null;
  perkTitle: string | null;
  expiresAt: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  reason: string | null;
}

describe('the inbox: notifications written with each change (real Postgres, Redis)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let brand: SignedUp;
  let people: Person[];
  let [a, b, c, fading]: Person[] = [];

  const campaign = async (name: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const input = campaignInput(name, { maxOutstandingOffers: 100, ...extra }) as CreateCampaignInput;
    const created = expectMember((await api.client.ok(CreateCampaignDocument, { input }, brand)).createCampaign, 'Campaign');
    const { launchCampaign } = await api.client.ok(LaunchCampaignDocument, { id: created.id }, brand);
    expect(expectMember(launchCampaign, 'Campaign').status).toBe('ACTIVE');
    return created.id;
  };
  /** Every notification of a person, through the API, walking the pages. */
  const inbox = async (who: Person, unreadOnly = false): Promise<Note[]> => {
    const all: Note[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await api.client.ok(INBOX, { unreadOnly, first: 100, after }, who)).notifications;
      all.push(...page.edges.map((e: { node: Note }) => e.node));
      if (!page.pageInfo.hasNextPage) return all;
      after = page.pageInfo.endCursor;
    }
  };
  const about = (notes: Note[], kind: string, campaignId?: string) =>
    notes.filter((n) => n.kind === kind && (campaignId === undefined || n.campaignId === campaignId));
  const offerOf = async (campaignId: string, who: Person): Promise<string> => {
    const [row] = await api.dataSource.query(`SELECT id FROM offers WHERE campaign_id = $1 AND influencer_id = $2`, [
      campaignId,
      who.influencerId,
    ]);
    return row.id;
  };
  const stored = async (kind: string, campaignId: string): Promise<string[]> =>
    (
      await api.dataSource.query(`SELECT influencer_id FROM notifications WHERE kind = $1 AND data->>'campaignId' = $2 ORDER BY 1`, [
        kind,
        campaignId,
      ])
    ).map((r: { influencer_id: string }) => r.influencer_id);

  beforeAll(async () => {
    database = await createScratchDatabase('notifications');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('notifications') });
    brand = await signUp(api.client, 'BRAND');
    people = [];
    for (let i = 0; i < 6; i++) people.push({ ...(await signUp(api.client, 'INFLUENCER', { country: 'FR' })), influencerId: '' });
    const ids: Array<{ id: string; user_id: string }> = await api.dataSource.query(`SELECT id, user_id FROM influencers`);
    for (const p of people) p.influencerId = ids.find((r) => r.user_id === p.userId)!.id;
    [a, b, c, fading] = people;

    // One influencer with engagement that leaves the 90-day window between two run dates: their score falls to the floor.
    const admin = await logInAdmin(api.client);
    const key = await connectorKey(api.client, admin);
    await connectVerified(api.client, fading, key, {
      network: 'X',
      handle: 'fading',
      followers: 5000,
      following: 100,
      accountCreatedAt: '2018-01-01T00:00:00Z',
    });
    await ingestAccounts(
      api.client,
      key,
      Array.from({ length: 40 }, (_, i) => establishedAccount('X', `fan${i}`)),
    );
    await api.client.ok(
      `mutation($input: IngestActivityInput!) { ingestActivity(input: $input) { ... on IngestReport { accepted } } }`,
      {
        input: {
          posts: [],
          interactions: Array.from({ length: 40 }, (_, i) => ({
            externalId: `fade-${i}`,
            network: 'X',
            kind: 'RESHARE',
            actorHandle: `fan${i}`,
            targetHandle: 'fading',
            occurredAt: new Date(Date.now() - 4 * DAY - 88 * DAY).toISOString(),
          })),
        },
      },
      { apiKey: key },
    );
    const run = await api.services.scoring.requestRun(dateOf(4), ScoreRunTrigger.ADMIN);
    await api.services.scoring.execute(run.id, logger());
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('tells each influencer offered a perk once, in the statement that made the offers, and nobody else', async () => {
    const id = await campaign('Tasting');
    const report = await api.services.matching.matchCampaign(id);
    expect(report.offered).toBe(people.length);
    expect(await stored('OFFER_NEW', id)).toEqual(people.map((p) => p.influencerId).sort());
    const mine = about(await inbox(a), 'OFFER_NEW', id);
    expect(mine).toEqual([
      expect.objectContaining({ offerId: await offerOf(id, a), campaignName: 'Tasting', perkTitle: 'Tasting perk', readAt: null }),
    ]);
    expect(mine[0].message).toContain('New offer: "Tasting perk" (Tasting)');
    // Matching again offers nothing new and tells nobody again.
    await api.services.matching.matchCampaign(id);
    expect(await stored('OFFER_NEW', id)).toHaveLength(people.length);
    // The brand has no inbox; anonymous callers neither.
    expect((await api.client.request(INBOX, {}, brand)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.client.request(UNREAD, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps preferences per kind with defaults, and writes no notification of a kind switched off', async () => {
    const defaults = (await api.client.ok(NotificationPreferencesDocument, {}, a)).notificationPreferences;
    expect(defaults).toHaveLength(6);
    expect(defaults.every((p) => p.inApp && !p.email)).toBe(true);

    const updated = (await api.client.ok(UpdateNotificationPreferencesDocument, { input: [{ kind: 'OFFER_NEW', inApp: false }] }, a))
      .updateNotificationPreferences;
    expect(updated.find((p) => p.kind === 'OFFER_NEW')).toEqual({ kind: 'OFFER_NEW', inApp: false, email: false });
    // Changing only the e-mail flag keeps the in-app choice.
    const again = (await api.client.ok(UpdateNotificationPreferencesDocument, { input: [{ kind: 'OFFER_NEW', email: true }] }, a))
      .updateNotificationPreferences;
    expect(again.find((p) => p.kind === 'OFFER_NEW')).toEqual({ kind: 'OFFER_NEW', inApp: false, email: true });
    // Someone else's settings did not move.
    expect((await api.client.ok(NotificationPreferencesDocument, {}, b)).notificationPreferences).toEqual(defaults);
    const refused = await api.client.request(
      UpdateNotificationPreferencesDocument,
      { input: [{ kind: 'OFFER_NEW' }, { kind: 'OFFER_NEW', inApp: true }] },
      a,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const id = await campaign('Quiet');
    await api.services.matching.matchCampaign(id);
    expect(await stored('OFFER_NEW', id)).toEqual(
      people
        .filter((p) => p !== a)
        .map((p) => p.influencerId)
        .sort(),
    );
    expect(about(await inbox(a), 'OFFER_NEW', id)).toEqual([]);
    expect(about(await inbox(b), 'OFFER_NEW', id)).toHaveLength(1);

    await api.client.ok(UpdateNotificationPreferencesDocument, { input: [{ kind: 'OFFER_NEW', inApp: true, email: false }] }, a);
    expect((await api.client.ok(NotificationPreferencesDocument, {}, a)).notificationPreferences).toEqual(defaults);
  });

  it('tells once about an offer expiring within 24 h, however often the sweep runs', async () => {
    const id = await campaign('Expiring', { offerLifetimeHours: 72 });
    await api.services.matching.matchCampaign(id);
    // A's offer was made two days ago and expires in two hours; B's whole lifetime is two hours
    // (its OFFER_NEW said when it expires); everyone else's expires in three days.
    await api.dataSource.query(
      `UPDATE offers SET offered_at = now() - interval '2 days', expires_at = now() + interval '2 hours' WHERE id = $1`,
      [await offerOf(id, a)],
    );
    await api.dataSource.query(`UPDATE offers SET expires_at = offered_at + interval '2 hours' WHERE id = $1`, [await offerOf(id, b)]);
    const sweeps = await Promise.all([1, 2, 3].map(() => api.services.matching.notifyExpiringOffers()));
    expect(sweeps.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
    await api.services.matching.notifyExpiringOffers();
    expect(await stored('OFFER_EXPIRING', id)).toEqual([a.influencerId]);
    const [note] = about(await inbox(a), 'OFFER_EXPIRING', id);
    expect(note).toMatchObject({ offerId: await offerOf(id, a), perkTitle: 'Expiring perk' });
    expect(new Date(note.expiresAt!).getTime() - Date.now()).toBeLessThan(3 * 3600_000);
    expect(about(await inbox(b), 'OFFER_EXPIRING', id)).toEqual([]);
  });

  it('tells the influencer when the brand cancels their claim or redeems it, and not when they cancel their own', async () => {
    const id = await campaign('Claims');
    await api.services.matching.matchCampaign(id);
    const claims = new Map<Person, { id: string; code: string }>();
    for (const p of [a, b, c]) {
      const claimed = expectMember((await api.client.ok(ClaimOfferDocument, { offerId: await offerOf(id, p) }, p)).claimOffer, 'Claim');
      claims.set(p, { id: claimed.id, code: claimed.code! });
    }
    expect((await api.client.ok(CANCEL, { id: claims.get(a)!.id }, brand)).cancelClaim.status).toBe('CANCELLED');
    expect((await api.client.ok(CANCEL, { id: claims.get(b)!.id }, b)).cancelClaim.status).toBe('CANCELLED');
    const redeemed = (await api.client.ok(RedeemClaimDocument, { code: claims.get(c)!.code }, brand)).redeemClaim;
    expect(expectMember(redeemed, 'Claim').status).toBe('REDEEMED');
    // A second redeem and a second cancel change nothing, and tell nobody.
    const twice = (await api.client.ok(RedeemClaimDocument, { code: claims.get(c)!.code }, brand)).redeemClaim;
    expect(expectMember(twice, 'AlreadyRedeemedError').errorCode).toBe('ALREADY_REDEEMED');
    expect((await api.client.ok(CANCEL, { id: claims.get(a)!.id }, brand)).cancelClaim.__typename).toBe('ClaimCancelledError');

    expect(await stored('CLAIM_CANCELLED', id)).toEqual([a.influencerId]);
    expect(await stored('CLAIM_REDEEMED', id)).toEqual([c.influencerId]);
    expect(about(await inbox(a), 'CLAIM_CANCELLED', id)).toEqual([
      expect.objectContaining({
        claimId: claims.get(a)!.id,
        campaignName: 'Claims',
        message: 'The brand cancelled your claim of "Claims perk" (Claims)',
      }),
    ]);
    expect(about(await inbox(c), 'CLAIM_REDEEMED', id)).toEqual([
      expect.objectContaining({ claimId: claims.get(c)!.id, message: 'Your claim of "Claims perk" (Claims) was redeemed' }),
    ]);
    expect(about(await inbox(b), 'CLAIM_CANCELLED')).toEqual([]);
  });

  it('tells who loses an offer when the campaign ends', async () => {
    const id = await campaign('Ending');
    await api.services.matching.matchCampaign(id);
    expect(expectMember((await api.client.ok(EndCampaignDocument, { id }, brand)).endCampaign, 'Campaign').status).toBe('ENDED');
    // The match the end asks for (no worker here: run in-process, as the worker would).
    expect((await api.services.matching.matchCampaign(id)).withdrawn).toBe(people.length);
    expect(await stored('OFFER_WITHDRAWN', id)).toEqual(people.map((p) => p.influencerId).sort());
    expect(about(await inbox(b), 'OFFER_WITHDRAWN', id)).toEqual([expect.objectContaining({ reason: 'CAMPAIGN_OVER' })]);
  });

  it("tells who moved 5 points or more in a new run, with the explanation's reason, and withdraws offers they no longer meet", async () => {
    const id = await campaign('Scored', { targeting: { minScore: 11 } });
    await api.services.matching.matchCampaign(id);
    expect(await stored('OFFER_NEW', id)).toEqual([fading.influencerId]);

    const later = await api.services.scoring.requestRun(dateOf(1), ScoreRunTrigger.ADMIN);
    const stats = await api.services.scoring.execute(later.id, logger());
    expect(stats?.scoreNotifications).toBe(1);
    const changes: Array<{ influencer_id: string }> = await api.dataSource.query(
      `SELECT influencer_id FROM notifications WHERE kind = 'SCORE_CHANGED'`,
    );
    expect(changes.map((r) => r.influencer_id)).toEqual([fading.influencerId]);

    const [note] = about(await inbox(fading), 'SCORE_CHANGED');
    expect(note.scoreAfter).toBe(10);
    expect(note.scoreBefore! - note.scoreAfter!).toBeGreaterThanOrEqual(5);
    // The reason is the explanation's own "what moved it".
    const { influencer } = await api.client.ok(
      `query($id: ID!) { influencer(id: $id) { scoreExplanation { delta { score previousRunDate } summary } } }`,
      { id: fading.influencerId },
      fading,
    );
    const { delta, summary } = influencer.scoreExplanation;
    expect(delta.score).toBe(note.scoreAfter! - note.scoreBefore!);
    expect(summary).toContain(`Down ${-delta.score} since ${delta.previousRunDate}: ${note.reason}.`);
    expect(note.message).toBe(
      `Your score went down ${-delta.score}, from ${note.scoreBefore} to 10, since ${delta.previousRunDate}: ${note.reason}`,
    );

    expect((await api.services.matching.matchCampaign(id)).withdrawn).toBe(1);
    expect(about(await inbox(fading), 'OFFER_WITHDRAWN', id)).toEqual([expect.objectContaining({ reason: 'NOT_ELIGIBLE' })]);
  }, 120_000);

  it('pages newest first by id, filters unread, and marks only your own notifications read', async () => {
    const all = await inbox(a);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const ids = all.map((n) => BigInt(n.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));

    // Pages of 2 cover everything once, in the same order.
    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = (await api.client.ok(INBOX, { first: 2, after }, a)).notifications;
      expect(page.totalCount).toBe(all.length);
      expect(page.pageInfo.hasPreviousPage).toBe(Boolean(after));
      walked.push(...page.edges.map((e: { node: Note }) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(all.map((n) => n.id));
    expect(pages).toBe(Math.ceil(all.length / 2));

    const theirs = (await inbox(b))[0];
    const unreadBefore = (await api.client.ok(UNREAD, {}, a)).unreadNotificationCount;
    expect(unreadBefore).toBe(all.length);
    const marked = (
      await api.client.ok(MarkNotificationsReadDocument, { ids: [all[0].id, all[1].id, theirs.id, 'not-an-id', '99999999999999999999'] }, a)
    ).markNotificationsRead;
    expect(marked).toEqual({ marked: 2, unreadCount: all.length - 2 });
    // Marking again changes nothing; B's notification is still unread.
    expect((await api.client.ok(MarkNotificationsReadDocument, { ids: [all[0].id] }, a)).markNotificationsRead).toEqual({
      marked: 0,
      unreadCount: all.length - 2,
    });
    expect((await inbox(b)).find((n) => n.id === theirs.id)!.readAt).toBeNull();

    const unread = await inbox(a, true);
    expect(unread.map((n) => n.id)).toEqual(all.slice(2).map((n) => n.id));
    const read = (await inbox(a)).slice(0, 2);
    expect(read.every((n) => n.readAt !== null)).toBe(true);
    expect((await api.client.ok(INBOX, { unreadOnly: true, first: 1 }, a)).notifications.totalCount).toBe(all.length - 2);

    expect((await api.client.request(MarkNotificationsReadDocument, { ids: [] }, a)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await api.client.request(INBOX, { after: 'bm90IGpzb24' }, a)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
