import { randomUUID } from 'node:crypto';
import type { WorkerRuntime } from '../../src/core/worker-runtime';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { campaignInput, createdCampaign, scoredInfluencers } from '../helpers/fixtures';
import { signUp, type Person, type SignedUp } from '../helpers/graphql';
import { partOf, SmtpReceiver, type ReceivedMail } from '../helpers/smtp-receiver';
import { until } from '../helpers/wait';
import { startTestWorker, suitePrefix } from '../helpers/worker';

/**
 * Offer e-mails end to end: the API, a worker in this process, the real Postgres and Redis, and a
 * local SMTP receiver (smtp-server) started here. The sweep that collects due mail is called
 * in-process (its schedule is set far away), so each round is one known moment; the sends are the
 * worker's jobs, with retries on a short schedule.
 */

const PREFS = `{ notificationPreferences { kind inApp email } }`;
const UPDATE_PREFS = `mutation($input: [NotificationPreferenceInput!]!) { updateNotificationPreferences(input: $input) { kind inApp email } }`;
const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename ... on WebhookEndpointCreated { endpoint { id } } ... on ErrorResult { message } } }`;
const ENDPOINTS = `query($org: ID!) { webhookEndpoints(organizationId: $org) { id status } }`;
const CLAIM = `mutation($offerId: ID!) { claimOffer(offerId: $offerId) { __typename ... on Claim { id } ... on ErrorResult { errorCode } } }`;

const PUBLIC_API = 'http://api.perks.test';

interface Message {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  notifications: number;
}

describe('offer e-mails over SMTP (real Postgres, Redis and a local SMTP receiver)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let smtp: SmtpReceiver;
  let api: TestApi;
  let worker: WorkerRuntime;
  let brand: SignedUp;
  let people: Person[];

  let unused = 0;
  /** A person of the run's scores (matching offers only to the scored) whom no earlier test used. */
  const newPerson = async (): Promise<Person> => {
    if (unused >= people.length) throw new Error('signed up too few people for the tests');
    return people[unused++];
  };
  const emailOn = (who: Person, kinds = ['OFFER_NEW']) =>
    api.client.ok(UPDATE_PREFS, { input: kinds.map((kind) => ({ kind, email: true })) }, who);
  /** A launched campaign, matched in-process: every influencer signed up so far holds an offer. */
  const campaign = (name: string): Promise<string> => createdCampaign(api, brand, campaignInput(name, { maxOutstandingOffers: 1000 }));
  const messagesOf = (who: Person): Promise<Message[]> =>
    api.dataSource.query(
      `SELECT m.id, m.status, m.attempts, m.last_error, (SELECT count(*)::int FROM notification_emails e WHERE e.message_id = m.id) AS notifications
       FROM email_messages m WHERE m.influencer_id = $1 ORDER BY m.created_at`,
      [who.influencerId],
    );
  /** Waits until no message is PENDING (sent, skipped or failed by the worker). */
  const settled = () =>
    until('every message to be finished', async () => {
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM email_messages WHERE status = 'PENDING'`);
      return n === 0;
    });
  const unsubscribeLink = (mail: ReceivedMail): string => {
    const match = /^<([^>]+)>$/.exec(mail.headers['list-unsubscribe'] ?? '');
    if (!match) throw new Error(`no List-Unsubscribe header: ${JSON.stringify(mail.headers)}`);
    return match[1];
  };
  /** The link as this test reaches the API (it listens on a free port, not at API_PUBLIC_URL). */
  const local = (link: string) => link.replace(PUBLIC_API, api.url);

  beforeAll(async () => {
    database = await createScratchDatabase('email');
    smtp = new SmtpReceiver();
    await smtp.start();
    api = await startTestApi({
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: suitePrefix('email'),
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Perks <offers@perks.test>',
      // Far away: each test runs the sweep itself.
      EMAIL_SWEEP_CRON: '0 0 1 1 *',
      EMAIL_ATTEMPTS: '3',
      EMAIL_RETRY_BASE_MS: '200',
      EMAIL_TIMEOUT_MS: '10000',
      API_PUBLIC_URL: PUBLIC_API,
      APP_URL: 'http://app.perks.test',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_SWEEP_CRON: '0 0 1 1 *',
    });
    brand = await signUp(api.client, 'BRAND');
    people = await scoredInfluencers(api, 20);
    // The first three never switch e-mail on; people[0] claims an offer in the webhook test.
    unused = 3;
    worker = await startTestWorker(api); // after the run: its recovery job would resume the run beside us
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.stop();
    await smtp?.stop();
    await database?.drop();
  });

  it('schedules the sweep while SMTP_URL is set', async () => {
    const schedulers = await api.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('sweep-email');
  });

  it('mails one digest per person for a round of matches, only offers written since e-mail was on, and nothing to people with e-mail off', async () => {
    const [on, off, later] = await Promise.all([newPerson(), newPerson(), newPerson()]);
    await emailOn(on);
    await campaign('Tasting & <b>bold</b>');
    // `later` turns e-mail on after the first match: only what comes after is mailed.
    await emailOn(later);
    await campaign('Lounge');
    await campaign('Concert');
    const report = await api.services.email.sweep();
    expect(report.collected).toBeGreaterThanOrEqual(2);
    await settled();

    const [mail, ...more] = await until(
      'the digest of the person with e-mail on',
      async () => smtp.to(on.email).length > 0 && smtp.to(on.email),
    );
    expect(more).toEqual([]);
    expect(mail.headers.from).toBe('Perks <offers@perks.test>');
    expect(mail.headers.subject).toBe('Perks: 3 new perk offers');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeLink(mail)).toMatch(new RegExp(`^${PUBLIC_API}/unsubscribe\\?token=v1\\.[\\w-]+\\.[\\w-]+$`));
    const text = partOf(mail, 'text/plain');
    for (const name of ['Tasting & <b>bold</b>', 'Lounge', 'Concert']) expect(text).toContain(`${name} perk (${name})`);
    expect(text).toContain('http://app.perks.test');
    expect(text).toContain(unsubscribeLink(mail));
    const html = partOf(mail, 'text/html');
    expect(html).toContain('Tasting &amp; &lt;b&gt;bold&lt;/b&gt; perk');
    expect(html).not.toContain('<b>bold</b>');
    expect(await messagesOf(on)).toEqual([expect.objectContaining({ status: 'SENT', attempts: 1, notifications: 3 })]);

    const [laterMail, ...laterMore] = smtp.to(later.email);
    expect(laterMore).toEqual([]);
    expect(partOf(laterMail, 'text/plain')).not.toContain('Tasting');
    expect(partOf(laterMail, 'text/plain')).toContain('Lounge perk (Lounge)');

    expect(smtp.to(off.email)).toEqual([]);
    expect(await messagesOf(off)).toEqual([]);
    // The people of the first describe block never switched e-mail on either.
    for (const p of people.slice(0, 3)) expect(smtp.to(p.email)).toEqual([]);

    // Another round finds nothing new: nothing is mailed twice.
    const again = await api.services.email.sweep();
    expect(again.collected).toBe(0);
    await settled();
    expect(smtp.to(on.email)).toHaveLength(1);
    expect(smtp.to(later.email)).toHaveLength(1);
  });

  it('picks up a notification that committed after a later one was mailed (ids commit out of order)', async () => {
    const who = await newPerson();
    await emailOn(who);
    await campaign('First');
    await api.services.email.sweep();
    await until('the first digest', async () => smtp.to(who.email).length === 1);
    // The next offer's notification gets an id below every id mailed so far, as a transaction that
    // took its id early and committed late would leave it (identity columns accept no UPDATE: re-insert it).
    const second = await campaign('Second');
    const [moved] = await api.dataSource.query(
      `WITH d AS (DELETE FROM notifications WHERE influencer_id = $1 AND data->>'campaignId' = $2 RETURNING *)
       INSERT INTO notifications (id, influencer_id, kind, data, created_at, read_at) OVERRIDING SYSTEM VALUE
       SELECT (SELECT min(id) - 1 FROM notifications), influencer_id, kind, data, created_at, read_at FROM d RETURNING id`,
      [who.influencerId, second],
    );
    const [{ mailed }] = await api.dataSource.query(`SELECT min(notification_id) AS mailed FROM notification_emails`);
    expect(BigInt(moved.id)).toBeLessThan(BigInt(mailed));
    await api.services.email.sweep();
    const mails = await until('the late row to be mailed', async () => smtp.to(who.email).length === 2 && smtp.to(who.email));
    expect(partOf(mails[1], 'text/plain')).toContain('Second perk (Second)');
    expect(partOf(mails[1], 'text/plain')).not.toContain('First perk');
  });

  it('mails offers about to expire to who asked for them', async () => {
    const who = await newPerson();
    await emailOn(who, ['OFFER_EXPIRING']);
    const id = await campaign('Fading');
    await api.dataSource.query(
      `UPDATE offers SET offered_at = now() - interval '2 days', expires_at = now() + interval '2 hours' WHERE campaign_id = $1 AND influencer_id = $2`,
      [id, who.influencerId],
    );
    await api.services.matching.notifyExpiringOffers();
    await api.services.email.sweep();
    const [mail] = await until('the expiry mail', async () => smtp.to(who.email).length > 0 && smtp.to(who.email));
    expect(mail.headers.subject).toBe('Perks: an offer expiring soon');
    expect(partOf(mail, 'text/plain')).toContain('Fading perk (Fading), expires');
  });

  it('unsubscribes in one click through the link of the mail, idempotently, and refuses a forged token with a 400 page', async () => {
    const who = await newPerson();
    await emailOn(who, ['OFFER_NEW', 'OFFER_EXPIRING']);
    await campaign('Newsletter');
    await api.services.email.sweep();
    const [mail] = await until('a digest', async () => smtp.to(who.email).length > 0 && smtp.to(who.email));
    const link = local(unsubscribeLink(mail));

    // A GET (a mail scanner, or the person's click) only asks.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<form method="post"');
    expect((await api.client.ok(PREFS, {}, who)).notificationPreferences.filter((p: { email: boolean }) => p.email)).toHaveLength(2);

    // The mail client's one-click POST (RFC 8058), twice.
    for (let i = 0; i < 2; i++) {
      const done = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('You are unsubscribed');
    }
    const prefs = (await api.client.ok(PREFS, {}, who)).notificationPreferences;
    expect(prefs.filter((p: { email: boolean }) => p.email)).toEqual([]);
    expect(prefs.every((p: { inApp: boolean }) => p.inApp)).toBe(true);

    // Nothing more is mailed to them.
    await campaign('After unsubscribing');
    await api.services.email.sweep();
    await settled();
    expect(smtp.to(who.email)).toHaveLength(1);

    // Forged: another person's id under the same signature, a token signed with another key, garbage.
    const token = new URL(link).searchParams.get('token')!;
    const [version, body, signature] = token.split('.');
    const otherBody = Buffer.from(JSON.stringify({ i: people[0].influencerId, k: 'all' })).toString('base64url');
    const forgeries = [
      `${version}.${otherBody}.${signature}`,
      `${version}.${body}.${'A'.repeat(43)}`,
      'nonsense',
      `v2.${body}.${signature}`,
    ];
    for (const forged of forgeries) {
      for (const method of ['GET', 'POST']) {
        const refused = await fetch(`${api.url}/unsubscribe?token=${encodeURIComponent(forged)}`, { method });
        const text = await refused.text();
        expect([method, refused.status]).toEqual([method, 400]);
        expect(text).toContain('This unsubscribe link is not valid');
        expect(text).not.toMatch(/at .*\.ts|Error:/);
      }
    }
    const missing = await fetch(`${api.url}/unsubscribe`, { method: 'POST' });
    expect(missing.status).toBe(400);
    // The other person's settings did not move.
    expect((await api.client.ok(PREFS, {}, people[0])).notificationPreferences.every((p: { inApp: boolean }) => p.inApp)).toBe(true);
  });

  it('retries a relay that refuses for a while, and fails a message the relay refuses for good, without its address', async () => {
    const [flaky, bounced, busy] = await Promise.all([newPerson(), newPerson(), newPerson()]);
    smtp.behaviour.set(flaky.email.toLowerCase(), 'flaky');
    smtp.behaviour.set(bounced.email.toLowerCase(), 'bounce');
    smtp.behaviour.set(busy.email.toLowerCase(), 'busy');
    for (const p of [flaky, bounced, busy]) await emailOn(p);
    await campaign('Relay trouble');
    await api.services.email.sweep();
    await settled();

    expect(smtp.refusedFor(flaky.email)).toBe(1);
    expect(smtp.to(flaky.email)).toHaveLength(1);
    expect(await messagesOf(flaky)).toEqual([expect.objectContaining({ status: 'SENT', attempts: 2, last_error: null })]);

    // 550: permanent, not tried again.
    const [bounce] = await messagesOf(bounced);
    expect(bounce).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(bounce.last_error).toMatch(/550/);
    expect(bounce.last_error).toContain('<address>');
    expect(bounce.last_error).not.toContain(bounced.email.split('@')[0]);
    expect(smtp.refusedFor(bounced.email)).toBe(1);

    // 451 every time: tried EMAIL_ATTEMPTS times, then FAILED.
    const [gaveUp] = await messagesOf(busy);
    expect(gaveUp).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(gaveUp.last_error).toMatch(/451/);
    expect(smtp.refusedFor(busy.email)).toBe(3);
    expect(smtp.to(busy.email)).toEqual([]);

    // The sweep does not ask again for a failed message.
    await api.services.email.sweep();
    await settled();
    expect(smtp.refusedFor(busy.email)).toBe(3);
  });

  it('mails the managers of an organisation once when its webhook endpoint is disabled after failing for the whole window', async () => {
    const owner = await signUp(api.client, 'BRAND');
    const { createWebhookEndpoint } = await api.client.ok(
      CREATE_ENDPOINT,
      // Nothing listens on port 9 of this machine: every delivery fails at once.
      { input: { organizationId: owner.organizationId, url: 'http://127.0.0.1:9/hooks?token=secret', events: ['CLAIM_CREATED'] } },
      owner,
    );
    const endpointId = createWebhookEndpoint.endpoint.id;
    // Failing for two days already: the next failure disables it.
    await api.dataSource.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '2 days' WHERE id = $1`, [endpointId]);
    const campaignId = await createdCampaign(api, owner, campaignInput(`Hooked ${randomUUID().slice(0, 6)}`));
    const claimant = people[0];
    const [offer] = await api.dataSource.query(`SELECT id FROM offers WHERE campaign_id = $1 AND influencer_id = $2`, [
      campaignId,
      claimant.influencerId,
    ]);
    expect((await api.client.ok(CLAIM, { offerId: offer.id }, claimant)).claimOffer.__typename).toBe('Claim');

    await until('the endpoint to be disabled', async () => {
      const [e] = (await api.client.ok(ENDPOINTS, { org: owner.organizationId }, owner)).webhookEndpoints;
      return e.status === 'DISABLED';
    });
    const [notice] = await until('the notice to the manager', async () => smtp.to(owner.email).length > 0 && smtp.to(owner.email));
    expect(notice.headers.subject).toBe('Perks: webhook endpoint disabled (http://127.0.0.1:9/hooks)');
    expect(partOf(notice, 'text/plain')).toContain('every delivery failed since');
    expect(notice.raw).not.toContain('token=secret');
    await until('the disable to be marked mailed', async () => {
      const [row] = await api.dataSource.query(`SELECT disabled_mailed_at = disabled_at AS mailed FROM webhook_endpoints WHERE id = $1`, [
        endpointId,
      ]);
      return row.mailed;
    });
    // The webhook sweep asks for unmailed disables only: no second mail.
    await api.services.webhooks.sweep();
    expect(await api.services.webhooks.notices.send(endpointId)).toEqual({ mailed: 0 });
    expect(smtp.to(owner.email)).toHaveLength(1);
  });

  it('does nothing at all without SMTP_URL: no sweep scheduled, nothing collected', async () => {
    const quiet = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('email-off') });
    const quietWorker = await startTestWorker(quiet);
    try {
      const who = await newPerson();
      await emailOn(who);
      const id = await campaign('Unmailed');
      // Due mail exists (a notification of a person with e-mail on) ...
      const [{ n }] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM notifications WHERE influencer_id = $1 AND kind = 'OFFER_NEW' AND data->>'campaignId' = $2`,
        [who.influencerId, id],
      );
      expect(n).toBe(1);
      // ... and nothing takes it.
      expect((await quiet.queues.maintenance.getJobSchedulers()).map((s) => s.key)).not.toContain('sweep-email');
      expect(await quiet.services.email.sweep()).toEqual({ collected: 0, requested: 0, expired: 0 });
      expect(await messagesOf(who)).toEqual([]);
    } finally {
      await quietWorker.close();
      await quiet.stop();
    }
  });
});
