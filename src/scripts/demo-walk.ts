import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { expectMember, httpSend, type Credentials, type Send } from '../client/execute';
import * as Examples from '../client/generated/graphql';
import { verifySignature } from '../modules/webhooks/signature';
import { DEMO_PASSWORD } from './demo-accounts';

/**
 * `npm run demo:walk`: plays the operations of examples/ against a running service on the demo
 * data, journey by journey, each step's variables taken from earlier answers (ids, keys, codes),
 * and prints one line per step. Every operation is the typed document GraphQL Code Generator made
 * from its example file, so this file stops compiling when the schema breaks a journey.
 *
 * Re-runnable on the same data: each walk creates its own campaign (named with the time) and ends
 * it, its own connector key and webhook endpoint and removes them; the rest is read-only or
 * idempotent (the agency grant, the ingested items: a second walk sees them as duplicates).
 */

export interface WalkOptions {
  /** The service's base URL (the walk posts to `<url>/graphql`). */
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** The demo accounts' password. */
  demoPassword?: string;
  /** How operations are sent (default: HTTP to `<url>/graphql`); the tests pass their own client. */
  send?: Send;
  /** Where the step lines go (default: stdout). */
  print?: (line: string) => void;
  /** How long to wait for what the worker does (a score run, a match, a webhook delivery). */
  waitMs?: number;
}

export interface WalkStep {
  journey: string;
  /** The example file played, relative to examples/. */
  file: string;
  operation: string;
  summary: string;
}

const DEMO_ACCOUNTS = {
  brand: 'brand@demo.perks',
  brand2: 'brand2@demo.perks',
  agency: 'agency@demo.perks',
  influencer: 'influencer@demo.perks',
  influencer2: 'influencer2@demo.perks',
} as const;

/** The demo influencer's Instagram account and two of the readers the demo connector described (src/scripts/demo-data.ts). */
const INES_HANDLE = 'ines.eats';
const INES_FANS = ['demo.fan1.ines.eats', 'demo.fan2.ines.eats'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done` holds or the deadline passes; returns the last answer either way. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(250);
    value = await read();
  }
  return value;
}

/** A local receiver for the walk's webhook endpoint: keeps each request's body and signature. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Array<{ body: string; signature: string }> }> {
  const received: Array<{ body: string; signature: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ body, signature: String(request.headers['x-perks-signature'] ?? '') });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/perks-webhooks`, received };
}

/** Plays every journey; resolves with the steps, or rejects at the first step that fails (naming it). */
export async function walkDemo(options: WalkOptions): Promise<WalkStep[]> {
  const send = options.send ?? httpSend(`${options.url.replace(/\/$/, '')}/graphql`);
  const print = options.print ?? ((line: string) => console.log(line));
  const waitMs = options.waitMs ?? 60_000;
  const password = options.demoPassword ?? DEMO_PASSWORD;
  const steps: WalkStep[] = [];
  // Names unique per walk (a second walk on the same data creates its own).
  const stamp = `${new Date().toISOString().slice(0, 19).replace('T', ' ')} ${randomBytes(2).toString('hex')}`;

  const step = async (journey: string, file: string, operation: string, run: () => Promise<string>) => {
    let summary: string;
    try {
      summary = await run();
    } catch (error) {
      throw new Error(`${journey}/${file} (${operation}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    steps.push({ journey, file, operation, summary });
    print(`${`${journey}/${file}`.padEnd(54)} ${summary}`);
  };

  // accounts: everyone signs in; the answers carry the ids the journeys need.
  const logIn = async (email: string, pass: string) => {
    const { logIn } = await send(Examples.LogInDocument, { input: { email, password: pass } });
    return expectMember(logIn, 'AuthPayload');
  };
  const sessions = new Map<string, Awaited<ReturnType<typeof logIn>>>();
  for (const [email, pass] of [[options.adminEmail, options.adminPassword], ...Object.values(DEMO_ACCOUNTS).map((e) => [e, password])]) {
    await step('accounts', '01-log-in.graphql', 'LogIn', async () => {
      const session = await logIn(email, pass).catch((error: Error) => {
        const hint =
          email === options.adminEmail
            ? 'the walk signs the operator in with ADMIN_EMAIL / ADMIN_PASSWORD from its own environment: set them as the service has them'
            : 'the demo accounts exist only in a database the demo seeded (npm start on an empty database, or npm run seed -- --demo)';
        throw new Error(`${error.message} (${hint})`);
      });
      sessions.set(email, session);
      const orgs = session.user.organizations.map((o) => `${o.name} (${o.kind})`).join(', ');
      return `${email} signed in as ${session.user.role}${orgs ? `, member of ${orgs}` : ''}`;
    });
  }
  const as = (email: string): Credentials => ({ token: sessions.get(email)!.token });
  const admin = as(options.adminEmail);
  const brandOrg = sessions.get(DEMO_ACCOUNTS.brand)!.user.organizations[0];
  const agencyOrg = sessions.get(DEMO_ACCOUNTS.agency)!.user.organizations[0];
  const inesId = sessions.get(DEMO_ACCOUNTS.influencer)!.user.influencer?.id;
  if (!brandOrg || !agencyOrg || !inesId)
    throw new Error('the demo accounts are not as seeded: is this the demo data (npm start on an empty database)?');

  // operator: a key for the connector, the score run followed to its end.
  let connectorKey = { id: '', key: '', prefix: '' };
  await step('operator', '01-create-connector-key.graphql', 'CreateConnectorKey', async () => {
    const { createApiKey } = await send(Examples.CreateConnectorKeyDocument, { name: `demo walk connector ${stamp}` }, admin);
    const created = expectMember(createApiKey, 'CreatedApiKey');
    connectorKey = { id: created.apiKey.id, key: created.key, prefix: created.apiKey.prefix };
    return `created INGEST key ${created.apiKey.prefix}… for "${created.apiKey.name}" (shown once)`;
  });
  let runDate: string | undefined;
  await step('operator', '02-score-runs.graphql', 'ScoreRuns', async () => {
    const { scoreRuns } = await send(Examples.ScoreRunsDocument, { first: 5 }, admin);
    const runs = scoreRuns.edges.map((e) => e.node);
    const current = runs.find((r) => r.isCurrent) ?? runs[0];
    runDate = current?.runDate;
    return current
      ? `${scoreRuns.totalCount} run(s); current: ${current.runDate} ${current.status} (model ${current.modelVersion})`
      : 'no score run yet';
  });
  let runId = '';
  await step('operator', '03-request-score-run.graphql', 'RequestScoreRun', async () => {
    // The current run's date: one run per date, so this returns that run rather than computing
    // another one that would move the demo's scores.
    const { recomputeScores } = await send(Examples.RequestScoreRunDocument, { date: runDate }, admin);
    const run = expectMember(recomputeScores, 'ScoreRun');
    runId = run.id;
    return `requested the run for ${run.runDate}: run ${run.id}, ${run.status}${run.status === 'SUCCEEDED' ? ' (already done: one run per date)' : ''}`;
  });
  await step('operator', '04-follow-score-run.graphql', 'FollowScoreRun', async () => {
    const { scoreRun } = await poll(
      () => send(Examples.FollowScoreRunDocument, { id: runId }, admin),
      (a) => a.scoreRun?.status === 'SUCCEEDED' || a.scoreRun?.status === 'FAILED',
      waitMs,
    );
    if (scoreRun?.status !== 'SUCCEEDED')
      throw new Error(`run ${runId} is ${scoreRun?.status ?? 'gone'} (${scoreRun?.error ?? 'still running'})`);
    const { influencers, interactions, totalSeconds } = scoreRun.stats;
    return `run ${scoreRun.id} ${scoreRun.status} (${scoreRun.phase}, ${Math.round(scoreRun.progress * 100)}%): ${influencers} influencers, ${interactions} interactions, ${totalSeconds?.toFixed(1)} s`;
  });

  // connector: who am I, then a batch with one bad item (rejected on its own; the rest stored once).
  const connector: Credentials = { apiKey: connectorKey.key };
  await step('connector', '01-current-api-key.graphql', 'CurrentApiKey', async () => {
    const { currentApiKey } = await send(Examples.CurrentApiKeyDocument, {}, connector);
    if (!currentApiKey) throw new Error('the key was not recognised');
    return `using key ${currentApiKey.prefix}… "${currentApiKey.name}" with ${currentApiKey.scopes.join(', ')}`;
  });
  await step('connector', '02-ingest-activity.graphql', 'IngestActivity', async () => {
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const { ingestActivity } = await send(
      Examples.IngestActivityDocument,
      {
        input: {
          posts: [
            { externalId: 'demo-walk-post-1', network: 'INSTAGRAM', authorHandle: INES_HANDLE, topics: ['food-coffee'], postedAt: at(3) },
            { externalId: 'demo-walk-post-2', network: 'INSTAGRAM', authorHandle: INES_HANDLE, topics: ['not-a-topic'], postedAt: at(3) },
          ],
          interactions: INES_FANS.map((fan, i) => ({
            externalId: `demo-walk-post-1-${i}`,
            network: 'INSTAGRAM' as const,
            kind: i === 0 ? ('RESHARE' as const) : ('LIKE' as const),
            actorHandle: fan,
            targetHandle: INES_HANDLE,
            postExternalId: 'demo-walk-post-1',
            occurredAt: at(2),
          })),
        },
      },
      connector,
    );
    const report = expectMember(ingestActivity, 'IngestReport');
    const rejections = report.rejections.map((r) => `${r.list.toLowerCase()}[${r.index}] ${r.externalId}: ${r.code}`).join('; ');
    return `accepted ${report.accepted}, duplicates ${report.duplicates}, rejected ${report.rejected}${rejections ? ` (${rejections})` : ''}`;
  });

  // brand: grant the agency, create and launch a campaign, watch the matcher fill the funnel.
  const brand = as(DEMO_ACCOUNTS.brand);
  await step('brand', '01-grant-agency.graphql', 'GrantAgency', async () => {
    const { addAgencyClient } = await send(Examples.GrantAgencyDocument, { brandId: brandOrg.id, agencyId: agencyOrg.id }, brand);
    const grant = expectMember(addAgencyClient, 'AgencyClientGrant');
    return `${grant.brand.name} lets ${grant.agency.name} act for it (since ${grant.createdAt.slice(0, 10)}; granting again changes nothing)`;
  });
  const targeting = { minScore: 50, topics: { slugs: ['food-coffee'] } };
  let campaign = { id: '', name: '' };
  await step('brand', '02-create-campaign.graphql', 'CreateCampaign', async () => {
    const { createCampaign } = await send(
      Examples.CreateCampaignDocument,
      {
        input: {
          brandId: brandOrg.id,
          name: `Espresso kit (demo walk ${stamp})`,
          perk: {
            title: 'Espresso kit',
            description: 'A hand grinder and two bags of beans',
            kind: 'PRODUCT',
            valueCents: 5900,
            currency: 'EUR',
          },
          inventory: 5,
          // Every eligible influencer at once, as the demo's campaigns do (demo-campaigns.ts).
          maxOutstandingOffers: 2_000,
          endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          targeting,
        },
      },
      brand,
    );
    const created = expectMember(createCampaign, 'Campaign');
    campaign = { id: created.id, name: created.name };
    return `created "${created.name}" (${created.status}, ${created.inventory} × ${created.perk.title}, targeting ${created.targeting.conditions.join(', ')})`;
  });
  await step('brand', '03-launch-campaign.graphql', 'LaunchCampaign', async () => {
    const { launchCampaign } = await send(Examples.LaunchCampaignDocument, { id: campaign.id }, brand);
    return `launched: ${expectMember(launchCampaign, 'Campaign').status}`;
  });
  await step('brand', '04-campaign-funnel.graphql', 'CampaignFunnel', async () => {
    // The worker's matcher makes the offers after the launch commits.
    const { campaign: funnel } = await poll(
      () => send(Examples.CampaignFunnelDocument, { id: campaign.id }, brand),
      (a) => a.campaign.stats.offered > 0,
      waitMs,
    );
    const s = funnel.stats;
    if (s.offered === 0) throw new Error(`no offer after ${waitMs / 1000} s: is the worker running?`);
    return `${funnel.status}: ${s.offered} offered, ${s.claimed} claimed, ${s.redeemed} redeemed, ${s.remaining} left`;
  });

  // agency: search for the client brand, then one influencer's eligibility for the new campaign.
  const agency = as(DEMO_ACCOUNTS.agency);
  await step('agency', '01-eligible-influencers.graphql', 'EligibleInfluencers', async () => {
    const { eligibleInfluencers } = await send(
      Examples.EligibleInfluencersDocument,
      { targeting, orderBy: 'TOPIC_SCORE', topic: 'food-coffee', first: 5 },
      agency,
    );
    const best = eligibleInfluencers.edges[0]?.node;
    const bestTopic = best?.topics.find((t) => t.topic.slug === 'food-coffee')?.score;
    return `${eligibleInfluencers.totalCount} influencer(s) meet score 50+ and food-coffee${best ? `; best on food-coffee: ${best.displayName} (${bestTopic})` : ''}`;
  });
  await step('agency', '02-eligibility.graphql', 'Eligibility', async () => {
    const { eligibility } = await send(Examples.EligibilityDocument, { campaignId: campaign.id, influencerId: inesId }, agency);
    const why = eligibility.reasons.map((r) => r.message).join('; ');
    const offer = eligibility.offerState.hasOpenOffer ? 'has an open offer' : `no open offer (${eligibility.offerState.reason})`;
    return `Ines ${eligibility.eligible ? 'is eligible' : `is not eligible: ${why}`}; ${offer}`;
  });

  // influencer (Ines): her score and why, the new offer claimed, her inbox, her data.
  const ines = as(DEMO_ACCOUNTS.influencer);
  await step('influencer', '01-me-and-score.graphql', 'MeAndScore', async () => {
    const { me } = await send(Examples.MeAndScoreDocument, {}, ines);
    const profile = me?.influencer;
    if (!profile) throw new Error('no influencer profile');
    return `${profile.displayName}: score ${profile.score} (reach ${profile.reach}, amplification ${profile.amplification}, authority ${profile.authority}); "${profile.scoreExplanation?.summary[0] ?? ''}"`;
  });
  let offerId = '';
  await step('influencer', '02-my-offers.graphql', 'MyOffers', async () => {
    const { myOffers } = await poll(
      () => send(Examples.MyOffersDocument, { status: 'OFFERED', first: 100 }, ines),
      (a) => a.myOffers.edges.some((e) => e.node.campaignId === campaign.id),
      waitMs,
    );
    const offer = myOffers.edges.find((e) => e.node.campaignId === campaign.id)?.node;
    if (!offer) throw new Error(`no offer of "${campaign.name}"`);
    offerId = offer.id;
    return `${myOffers.totalCount} open offers, among them ${offer.perk.title} until ${offer.expiresAt.slice(0, 16)}`;
  });
  let code = '';
  await step('influencer', '03-claim-offer.graphql', 'ClaimOffer', async () => {
    const { claimOffer } = await send(Examples.ClaimOfferDocument, { offerId, idempotencyKey: `demo-walk-${offerId}` }, ines);
    const claim = expectMember(claimOffer, 'Claim');
    code = claim.code ?? '';
    return `claimed: ${claim.status}, code ${code}`;
  });
  await step('influencer', '04-my-claims.graphql', 'MyClaims', async () => {
    const { myClaims } = await send(Examples.MyClaimsDocument, { first: 20 }, ines);
    const byStatus = new Map<string, number>();
    for (const { node } of myClaims.edges) byStatus.set(node.status, (byStatus.get(node.status) ?? 0) + 1);
    return `${myClaims.totalCount} claims (latest page: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})`;
  });
  let unread: string[] = [];
  await step('influencer', '05-notifications.graphql', 'Notifications', async () => {
    const answer = await send(Examples.NotificationsDocument, { unreadOnly: true, first: 100 }, ines);
    unread = answer.notifications.edges.map((e) => e.node.id);
    const kinds = new Map<string, number>();
    for (const { node } of answer.notifications.edges) kinds.set(node.kind, (kinds.get(node.kind) ?? 0) + 1);
    return `${answer.unreadNotificationCount} unread: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join(', ')}`;
  });
  await step('influencer', '06-mark-notifications-read.graphql', 'MarkNotificationsRead', async () => {
    if (unread.length === 0) return 'nothing unread to mark';
    const { markNotificationsRead } = await send(Examples.MarkNotificationsReadDocument, { ids: unread }, ines);
    return `marked ${markNotificationsRead.marked} read, ${markNotificationsRead.unreadCount} unread left`;
  });
  await step('influencer', '07-notification-preferences.graphql', 'NotificationPreferences', async () => {
    const { notificationPreferences: prefs } = await send(Examples.NotificationPreferencesDocument, {}, ines);
    return `${prefs.length} kinds: in the inbox ${prefs.filter((p) => p.inApp).length}, by e-mail ${prefs.filter((p) => p.email).length}`;
  });
  await step('influencer', '08-update-notification-preferences.graphql', 'UpdateNotificationPreferences', async () => {
    const { updateNotificationPreferences: prefs } = await send(
      Examples.UpdateNotificationPreferencesDocument,
      { input: [{ kind: 'OFFER_EXPIRING', email: true }] },
      ines,
    );
    const expiring = prefs.find((p) => p.kind === 'OFFER_EXPIRING');
    return `OFFER_EXPIRING: inbox ${expiring?.inApp ? 'on' : 'off'}, e-mail ${expiring?.email ? 'on' : 'off'}`;
  });
  await step('influencer', '09-export-my-data.graphql', 'ExportMyData', async () => {
    const { exportMyData } = await send(Examples.ExportMyDataDocument, {}, ines);
    // A list, or (the inbox) an object holding its items beside its settings.
    const count = (key: string) => {
      const value = exportMyData[key] as unknown[] | { items?: unknown[] } | undefined;
      return (Array.isArray(value) ? value : (value?.items ?? [])).length;
    };
    const size = Buffer.byteLength(JSON.stringify(exportMyData));
    return `${exportMyData.format} v${exportMyData.version}, ${Math.round(size / 1024)} KiB: ${count('offers')} offers, ${count('claims')} claims, ${count('notifications')} notifications`;
  });

  // brand again: a webhook endpoint told of the redemption, the code redeemed, the ledger, clean-up.
  const receiver = await startReceiver();
  try {
    let endpoint: { id: string; secret: string } | undefined;
    await step('brand', '05-create-webhook-endpoint.graphql', 'CreateWebhookEndpoint', async () => {
      const { createWebhookEndpoint: created } = await send(
        Examples.CreateWebhookEndpointDocument,
        { input: { organizationId: brandOrg.id, url: receiver.url, events: ['CLAIM_REDEEMED'], description: `demo walk ${stamp}` } },
        brand,
      );
      if (created.__typename !== 'WebhookEndpointCreated') {
        // This walk's receiver is on loopback, which the service refuses unless told otherwise.
        return `refused: ${created.message} (run the service with WEBHOOK_ALLOW_PRIVATE_URLS=true to see a delivery)`;
      }
      endpoint = { id: created.endpoint.id, secret: created.secret };
      return `endpoint ${created.endpoint.url} for ${created.endpoint.events.join(', ')} (${created.endpoint.status}); secret shown once`;
    });
    await step('brand', '06-redeem-claim.graphql', 'RedeemClaim', async () => {
      const { redeemClaim } = await send(Examples.RedeemClaimDocument, { code }, brand);
      return `code ${code}: ${expectMember(redeemClaim, 'Claim').status}`;
    });
    await step('brand', '07-claims-ledger.graphql', 'ClaimsLedger', async () => {
      const { campaign: ledger } = await send(Examples.ClaimsLedgerDocument, { campaignId: campaign.id, first: 10 }, brand);
      const rows = ledger.claims.edges.map(({ node }) => {
        const handles = node.influencer?.handles.map((h) => `${h.network} ${h.handle}`).join(', ');
        return `${node.influencer?.displayName ?? '(erased)'}${handles ? ` [${handles}]` : ''} ${node.status}`;
      });
      return `${ledger.claims.totalCount} claim(s): ${rows.join('; ')}`;
    });
    await step('brand', '08-webhook-deliveries.graphql', 'WebhookDeliveries', async () => {
      if (!endpoint) return 'no endpoint (refused above)';
      const { id, secret } = endpoint;
      const { webhookDeliveries } = await poll(
        () => send(Examples.WebhookDeliveriesDocument, { endpointId: id, first: 10 }, brand),
        (a) => a.webhookDeliveries.edges.some((e) => e.node.status !== 'PENDING'),
        waitMs,
      );
      const delivery = webhookDeliveries.edges[0]?.node;
      if (!delivery) throw new Error('no delivery written for the redemption');
      const signed = receiver.received.some((r) => verifySignature(secret, r.body, r.signature));
      return `${delivery.eventType} ${delivery.status} after ${delivery.attempts} attempt(s) (HTTP ${delivery.lastResponseCode ?? '-'}); received here ${receiver.received.length}, signature ${signed ? 'valid' : 'NOT checked'}`;
    });
    await step('brand', '09-delete-webhook-endpoint.graphql', 'DeleteWebhookEndpoint', async () => {
      if (!endpoint) return 'no endpoint to delete';
      const { deleteWebhookEndpoint } = await send(Examples.DeleteWebhookEndpointDocument, { id: endpoint.id }, brand);
      return deleteWebhookEndpoint ? 'endpoint and its deliveries deleted' : 'endpoint was already gone';
    });
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
  await step('brand', '10-end-campaign.graphql', 'EndCampaign', async () => {
    const { endCampaign } = await send(Examples.EndCampaignDocument, { id: campaign.id }, brand);
    const ended = expectMember(endCampaign, 'Campaign');
    return `${ended.status}: ${ended.stats.offered} offered, ${ended.stats.claimed} claimed, ${ended.stats.redeemed} redeemed, ${ended.stats.withdrawn} withdrawn`;
  });

  await step('operator', '05-revoke-connector-key.graphql', 'RevokeConnectorKey', async () => {
    const { revokeApiKey } = await send(Examples.RevokeConnectorKeyDocument, { id: connectorKey.id }, admin);
    return `revoked ${connectorKey.prefix}… at ${revokeApiKey.revokedAt}`;
  });
  return steps;
}

async function main(): Promise<void> {
  const url = process.env.DEMO_URL ?? 'http://127.0.0.1:4000';
  console.log(`Walking the demo journeys against ${url} (examples/: one line per operation played)`);
  const steps = await walkDemo({
    url,
    adminEmail: process.env.ADMIN_EMAIL ?? 'admin@perks.local',
    adminPassword: process.env.ADMIN_PASSWORD ?? 'admin-password-change-me',
  });
  console.log(`${steps.length} steps, all succeeded`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
