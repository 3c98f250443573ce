import type { DataSource, EntityManager } from 'typeorm';
import { notFound, sqlState } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { Influencer } from '../influencers/influencer.entity';
import type { MatchingService } from '../matching/matching.service';
import { OptOutBusyError } from './privacy.errors';
import { OptOutReceipt } from './privacy.types';

export interface ConsentSettings {
  /** How long an opt-out waits for matchers at work before it answers OptOutBusyError. */
  lockTimeoutMs: number;
}

/** An opt-out that deadlocks with the offer-expiry sweep (both update offers) is tried again. */
const ATTEMPTS = 3;

/**
 * Opting out and in again (GDPR art. 21: objecting to profiling), without erasing anything.
 *
 * Opted out (influencers.opted_in_at NULL, opted_out_at set): no score is computed (score runs
 * load opted-in influencers only) or shown (the score reader hides the rows it keeps), the person
 * is out of search, eligibility and matching (each reads opted_in_at), claiming refuses, and their
 * open offers are withdrawn, all in the transaction that opts them out. What they hold stays
 * theirs: claims stay valid (a code still redeems, they may cancel), offers, claims and their
 * data stay readable by them (myOffers, myClaims, exportMyData), and every score row stays.
 *
 * Opting in again: from the commit they are visible, searchable and eligible with the scores of
 * the current snapshot if it holds them (a snapshot computed before they opted out), else from the
 * next score run; new offers come with each campaign's next match (at the latest after the next
 * nightly run). Both operations are idempotent.
 */
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matching: MatchingService,
    private readonly settings: ConsentSettings = { lockTimeoutMs: 15_000 },
  ) {}

  async optOut(userId: string, log?: Logger): Promise<OptOutReceipt | OptOutBusyError> {
    let done: { receipt: OptOutReceipt; campaigns: string[] } | undefined;
    for (let attempt = 1; !done; attempt++) {
      try {
        done = await this.dataSource.transaction((db) => this.optOutIn(db, userId));
      } catch (error) {
        const state = sqlState(error);
        if (state === '55P03') return new OptOutBusyError(); // lock_timeout: nothing was written
        if (state !== '40P01' || attempt === ATTEMPTS) throw error;
      }
    }
    // The room of withdrawn offers goes to someone else; a campaign not matched now is after the next run.
    const enqueued = await Promise.allSettled(done.campaigns.map((id) => this.matching.requestMatch(id)));
    const failed = enqueued.filter((r) => r.status === 'rejected').length;
    if (failed) log?.warn({ campaigns: failed }, 'rematch after an opt-out not enqueued');
    log?.info({ offersWithdrawn: done.receipt.offersWithdrawn }, 'influencer opted out');
    return done.receipt;
  }

  private async optOutIn(db: EntityManager, userId: string): Promise<{ receipt: OptOutReceipt; campaigns: string[] }> {
    await db.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.settings.lockTimeoutMs}ms`]);
    const [me]: Array<{ id: string; opted_out_at: Date | null; opted_in: boolean }> = await db.query(
      `SELECT id, opted_out_at, opted_in_at IS NOT NULL AS opted_in FROM influencers WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    if (!me) throw notFound('Influencer profile');
    const activeClaims = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM claims WHERE influencer_id = $1 AND status = 'ACTIVE'`, [me.id]))[0].n as number;
    if (!me.opted_in) {
      // Opted out already: nothing to withdraw (offers are neither made nor claimable meanwhile).
      const receipt = Object.assign(new OptOutReceipt(), {
        optedOutAt: me.opted_out_at,
        offersWithdrawn: 0,
        activeClaimsKept: await activeClaims(),
      });
      return { receipt, campaigns: [] };
    }
    // A matcher reads the snapshot and inserts offers under its campaign's lock: holding the lock of
    // every campaign that can still be matched means none is between the two for this person.
    await db.query(
      `SELECT count(pg_advisory_xact_lock(hashtextextended('match:' || c.id::text, 0)))
       FROM (SELECT id FROM campaigns WHERE status <> 'ENDED' ORDER BY id) c`,
    );
    // (A bare UPDATE ... RETURNING answers [rows, count] through TypeORM: wrapped in a SELECT, it answers rows.)
    const [row]: Array<{ opted_out_at: Date }> = await db.query(
      `WITH u AS (UPDATE influencers SET opted_in_at = NULL, opted_out_at = now(), updated_at = now() WHERE id = $1 RETURNING opted_out_at)
       SELECT opted_out_at FROM u`,
      [me.id],
    );
    const withdrawn: Array<{ campaign_id: string }> = await db.query(
      `WITH w AS (UPDATE offers SET status = 'WITHDRAWN', closed_at = now() WHERE influencer_id = $1 AND status = 'OFFERED' RETURNING campaign_id)
       SELECT campaign_id FROM w`,
      [me.id],
    );
    const receipt = Object.assign(new OptOutReceipt(), {
      optedOutAt: row.opted_out_at,
      offersWithdrawn: withdrawn.length,
      activeClaimsKept: await activeClaims(),
    });
    return { receipt, campaigns: [...new Set(withdrawn.map((w) => w.campaign_id))] };
  }

  /** Opts the person in again (idempotent): see the class comment for when scores and offers return. */
  async optIn(userId: string, log?: Logger): Promise<Influencer> {
    const repository = this.dataSource.getRepository(Influencer);
    const [row]: Array<{ id: string; changed: boolean }> = await this.dataSource.query(
      `WITH me AS (SELECT id, opted_in_at FROM influencers WHERE user_id = $1 FOR UPDATE),
       u AS (UPDATE influencers i SET opted_in_at = now(), opted_out_at = NULL, updated_at = now()
             FROM me WHERE i.id = me.id AND me.opted_in_at IS NULL RETURNING i.id)
       SELECT me.id, EXISTS (SELECT 1 FROM u) AS changed FROM me`,
      [userId],
    );
    if (!row) throw notFound('Influencer profile');
    if (row.changed) log?.info('influencer opted in again');
    return repository.findOneByOrFail({ id: row.id });
  }
}
