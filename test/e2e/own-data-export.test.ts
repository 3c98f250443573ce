import { dateOf } from '../helpers/dates';
import { everyTable, identifyingValues } from '../helpers/personal-data';
import { EXPORT, withOwnDataWorld, type OwnDataWorld } from '../helpers/own-data';

/*
 * Issue 14, item 4: an influencer's own data through the API, exportMyData: its document is checked
 * against a scan of every row of every table that names the person. The world it reads, which
 * own-data.test.ts then changes in a world of its own: test/helpers/own-data.ts.
 */

type Row = Record<string, any>;

describe('their own data: exporting (real Postgres and Redis)', () => {
  let { tag, name, handles, activityIds, handleOf, api, brand, owner, people, links, claim, idempotencyKey } = {} as OwnDataWorld;
  withOwnDataWorld((world) => {
    ({ tag, name, handles, activityIds, handleOf, api, brand, owner, people, links, claim, idempotencyKey } = world);
  });

  describe('exportMyData', () => {
    let document: Row;
    let text: string;

    beforeAll(async () => {
      document = (await api.client.ok(EXPORT, {}, owner)).exportMyData;
      text = JSON.stringify(document).toLowerCase();
    });

    const needles = (): Record<string, string> => identifyingValues({ ...owner, name, handles, activityIds, idempotencyKey });

    /** Every row of every table (partitions included) that holds a needle in any column, as jsonb. */
    const scanDatabase = async (): Promise<Record<string, Row[]>> => {
      const values = Object.values(needles());
      const found: Record<string, Row[]> = {};
      for (const table of await everyTable(api.dataSource)) {
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
});
