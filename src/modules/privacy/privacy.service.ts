import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../../core/database';
import { notFound, sqlState } from '../../core/errors';
import { RUN_LOCK } from '../../core/locks';
import type { Logger } from '../../core/logger';
import type { AccountsService } from '../accounts/accounts.service';
import type { MatchingService } from '../matching/matching.service';
import { accountQuality, evidenceQuality, PARAMS, type AccountEvidence } from '../scoring/score-model';
import { ErasureBusyError } from './privacy.errors';
import { ErasureReceipt } from './privacy.types';

export interface PrivacySettings {
  /** How long an erasure waits for a score run or a match to finish before it answers ErasureBusyError. */
  lockTimeoutMs: number;
}

const DAY_MS = 86_400_000;
/** An erasure that deadlocks with the offer-expiry sweep (both update offers) is tried again. */
const ATTEMPTS = 3;

interface Erased {
  receipt: ErasureReceipt;
  /** Campaigns whose open offer was withdrawn: matched again, so the room goes to someone else. */
  campaigns: string[];
}

/**
 * Erasure of an influencer's data (eraseMyData). What goes, what stays and why:
 * - the user, the influencer profile and the social accounts are deleted;
 * - score and topic score rows are deleted from every snapshot: the current one, the history, and
 *   the tables of a run that failed before its switch;
 * - the graph nodes of the accounts they proved (VERIFIED) stay, so other people's scores (which
 *   rest on their edges) do not move: the node's handle hash (which anyone could compute from the
 *   handle) becomes random bytes, the network ids of posts and interactions that would lead back to
 *   the person on the network are replaced, and the connectors' snapshot of the account is deleted:
 *   the node keeps only the two numbers the model read from it (the teleport prior and the
 *   evidence quality, frozen now). Node ranks (actor_ranks) stay: they are those of an anonymous
 *   node, like everyone's who never signed up. Links never proven (PENDING, REVOKED) are deleted
 *   and their nodes left alone: nothing shows the account was the person's, and it may be
 *   someone else's (a squatted handle);
 * - open offers are withdrawn; every offer and claim stays for the brands' accounting (funnel
 *   figures, units held, redemptions) with a random stand-in for the influencer id. An active
 *   claim stays redeemable: its code is a random bearer secret, not personal data, and the person
 *   keeps the perk they claimed. The idempotency records of their claims are deleted.
 * - the next score run finds neither the profile nor the accounts, so nothing is recreated.
 * All in one transaction, serialised with score runs and matching (see erase).
 */
export class PrivacyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly matching: MatchingService,
    private readonly settings: PrivacySettings = { lockTimeoutMs: 15_000 },
  ) {}

  async eraseMyData(userId: string, log?: Logger): Promise<ErasureReceipt | ErasureBusyError> {
    let erased: Erased | undefined;
    for (let attempt = 1; !erased; attempt++) {
      try {
        erased = await this.dataSource.transaction((db) => this.erase(db, userId));
      } catch (error) {
        const state = sqlState(error);
        if (state === '55P03') return new ErasureBusyError(); // lock_timeout: nothing was written
        if (state !== '40P01' || attempt === ATTEMPTS) throw error;
      }
    }
    // This process stops honouring the user's tokens at once; others within TOKEN_CACHE_TTL_MS.
    this.accounts.forgetUser(userId);
    const enqueued = await Promise.allSettled(erased.campaigns.map((id) => this.matching.requestMatch(id)));
    // The erasure stands either way: a campaign not matched now is matched after the next score run.
    const failed = enqueued.filter((r) => r.status === 'rejected').length;
    if (failed) log?.warn({ campaigns: failed }, 'rematch after an erasure not enqueued');
    const { receipt } = erased;
    log?.info(
      { scores: receipt.scores, offersWithdrawn: receipt.offersWithdrawn, claimsKept: receipt.claimsKept },
      'influencer data erased',
    );
    return receipt;
  }

  private async erase(db: EntityManager, userId: string): Promise<Erased> {
    await db.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.settings.lockTimeoutMs}ms`]);
    // A score run reads influencers when it starts and writes their scores when it ends; erasing in
    // between would let it write this person back. A run holds RUN_LOCK from start to end, so wait
    // for it (a run that starts meanwhile finds the lock taken, and BullMQ retries it).
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [RUN_LOCK]);
    const [me]: Array<{ id: string }> = await db.query(`SELECT id FROM influencers WHERE user_id = $1 FOR UPDATE`, [userId]);
    if (!me) throw notFound('Influencer profile');
    const influencerId = me.id;
    // A matcher reads the snapshot and inserts offers under its campaign's lock: holding the lock of
    // every campaign that can still be matched means none is between the two for this person.
    await db.query(
      `SELECT count(pg_advisory_xact_lock(hashtextextended('match:' || c.id::text, 0)))
       FROM (SELECT id FROM campaigns WHERE status <> 'ENDED' ORDER BY id) c`,
    );

    // The nodes of the accounts they proved, with the connectors' snapshot of each (if any).
    const accounts: Array<{
      actor_id: number;
      followers: number | null;
      following: number;
      posts: number;
      account_created_at: Date;
      verified: boolean;
    }> = await db.query(
      `SELECT sa.actor_id, s.followers, s.following, s.posts, s.account_created_at, s.verified
       FROM social_accounts sa LEFT JOIN account_snapshots s ON s.actor_id = sa.actor_id
       WHERE sa.influencer_id = $1 AND sa.status = 'VERIFIED' AND sa.actor_id IS NOT NULL`,
      [influencerId],
    );
    const nodes = accounts.map((a) => a.actor_id);
    const evidenceOf = (a: (typeof accounts)[number]): AccountEvidence | null =>
      a.followers === null
        ? null
        : {
            followers: a.followers,
            following: a.following,
            posts: a.posts,
            accountAgeDays: (Date.now() - a.account_created_at.getTime()) / DAY_MS,
            verified: a.verified,
          };
    const snapshots = accounts.map(evidenceOf);
    const anonymousNodes = await affectedRows(
      db,
      `UPDATE actors a SET handle_hash = sha256(uuid_send(gen_random_uuid())), erased_quality = u.prior, erased_evidence = u.evidence
       FROM unnest($1::int[], $2::float8[], $3::float8[]) AS u(id, prior, evidence) WHERE a.id = u.id`,
      [nodes, snapshots.map((e) => (e ? accountQuality(e) : PARAMS.unknownQuality)), snapshots.map((e) => (e ? evidenceQuality(e) : null))],
    );
    await db.query(`DELETE FROM account_snapshots WHERE actor_id = ANY($1::int[])`, [nodes]);
    let activityUnlinked = 0;
    if (nodes.length) {
      activityUnlinked += await affectedRows(
        db,
        `UPDATE posts SET external_id = 'erased:' || gen_random_uuid() WHERE author_id = ANY($1::int[])`,
        [nodes],
      );
      // No index leads from an actor to its interactions (bulk loads would pay for it): one scan, on a rare operation.
      activityUnlinked += await affectedRows(
        db,
        `UPDATE interactions SET external_id = 'erased:' || gen_random_uuid() WHERE target_id = ANY($1::int[]) OR actor_id = ANY($1::int[])`,
        [nodes],
      );
    }

    const withdrawn: Array<{ campaign_id: string }> = await db.query(
      `WITH w AS (UPDATE offers SET status = 'WITHDRAWN', closed_at = now() WHERE influencer_id = $1 AND status = 'OFFERED' RETURNING campaign_id)
       SELECT campaign_id FROM w`,
      [influencerId],
    );
    // A claim and its offer share their stand-in, as they shared the influencer id.
    const [kept]: Array<{ claims: number; active: number }> = await db.query(
      `WITH o AS (UPDATE offers SET influencer_id = gen_random_uuid() WHERE influencer_id = $1 RETURNING id, influencer_id),
            c AS (UPDATE claims SET influencer_id = o.influencer_id FROM o WHERE claims.offer_id = o.id RETURNING claims.status)
       SELECT count(*)::int AS claims, (count(*) FILTER (WHERE status = 'ACTIVE'))::int AS active FROM c`,
      [influencerId],
    );
    await db.query(`DELETE FROM claim_requests WHERE influencer_id = $1`, [influencerId]);
    // Stored webhook events (kept for redelivery and history) name the person too: each gets the
    // stand-in of the claim or offer it reports. No index leads there (every claim event would pay
    // for it): one scan of the events, on a rare operation.
    await db.query(
      `UPDATE webhook_events e SET data = jsonb_set(e.data, '{influencerId}', to_jsonb(coalesce(
         (SELECT c.influencer_id FROM claims c WHERE c.id::text = e.data->>'id'),
         (SELECT o.influencer_id FROM offers o WHERE o.id::text = e.data->>'id'),
         gen_random_uuid())))
       WHERE e.data->>'influencerId' = $1::text`,
      [influencerId],
    );
    // The inbox and its settings: notifications carry campaign names, perk titles and scores about the person.
    const notifications = await affectedRows(db, `DELETE FROM notifications WHERE influencer_id = $1`, [influencerId]);
    await db.query(`DELETE FROM notification_preferences WHERE influencer_id = $1`, [influencerId]);

    const scores = await affectedRows(db, `DELETE FROM influencer_scores WHERE influencer_id = $1`, [influencerId]);
    const topicScores = await affectedRows(db, `DELETE FROM influencer_topic_scores WHERE influencer_id = $1`, [influencerId]);
    // A run that failed before its switch leaves tables that are not partitions; its retry drops them.
    const loose: Array<{ name: string }> = await db.query(
      `SELECT relname AS name FROM pg_class
       WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relkind = 'r'
         AND NOT relispartition AND relname ~ '^influencer_(topic_)?scores_r[0-9]+$'`,
    );
    for (const { name } of loose) await db.query(`DELETE FROM ${name} WHERE influencer_id = $1`, [influencerId]);

    const socialAccounts = await affectedRows(db, `DELETE FROM social_accounts WHERE influencer_id = $1`, [influencerId]);
    await db.query(`DELETE FROM influencers WHERE id = $1`, [influencerId]);
    await db.query(`DELETE FROM users WHERE id = $1`, [userId]);

    const receipt = Object.assign(new ErasureReceipt(), {
      erasedAt: new Date(),
      socialAccounts,
      scores,
      topicScores,
      anonymousNodes,
      activityUnlinked,
      offersWithdrawn: withdrawn.length,
      claimsKept: kept.claims,
      activeClaimsKept: kept.active,
      notifications,
    });
    return { receipt, campaigns: [...new Set(withdrawn.map((w) => w.campaign_id))] };
  }
}
