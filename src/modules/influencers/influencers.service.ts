import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { influencerIdOfUser } from '../../core/access';
import { Role, type Principal } from '../../core/context';
import { isUuid } from '../../core/ids';
import type { Network } from './network';
import { notFound } from '../../core/errors';
import { normalizeLanguage } from '../../core/language-code';
import type { Logger } from '../../core/logger';
import type { MatchingService } from '../matching/matching.service';
import { ensureActors, handleHash, normalizeHandle } from '../activity/actor-key';
import { HandleTakenError } from './influencers.errors';
import { DisconnectedSocialAccount, type ConnectSocialAccountInput, type UpdateMyProfileInput } from './influencers.types';
import { Influencer } from './influencer.entity';
import { lockAccounts, makeOwners } from './ownership';
import { SocialAccount, SocialAccountStatus, VerificationMethod } from './social-account.entity';
import { newVerificationCode } from './verification-code';

export interface NewInfluencerProfile {
  userId: string | null;
  displayName: string;
  country?: string;
  language?: string;
}

export class InfluencersService {
  /** `matching`: live campaigns whose targeting reads what changed are matched again at once. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly matching: MatchingService,
  ) {}

  /** Signing up as an influencer is the opt-in: profiling starts from this moment. */
  async createProfile(manager: EntityManager, profile: NewInfluencerProfile): Promise<Influencer> {
    return manager.save(
      manager.create(Influencer, {
        userId: profile.userId,
        displayName: profile.displayName,
        country: profile.country?.toUpperCase() ?? null,
        language: profile.language ? normalizeLanguage(profile.language) : null,
        optedInAt: new Date(),
      }),
    );
  }

  /**
   * An opted-in influencer as the principal may see them: brands, agencies, operators and SEARCH
   * keys see every one; an influencer sees only themself. Everyone else is told it does not exist.
   */
  async visibleInfluencer(principal: Principal, id: string): Promise<Influencer> {
    const influencer = isUuid(id) ? await this.dataSource.getRepository(Influencer).findOneBy({ id, optedInAt: Not(IsNull()) }) : null;
    if (!influencer || !canSee(principal, influencer)) throw notFound('Influencer');
    return influencer;
  }

  /** The influencer who proved they own the account; an account nobody proved is nobody's. */
  async visibleInfluencerByHandle(principal: Principal, network: Network, handle: string): Promise<Influencer> {
    const account = await this.dataSource
      .getRepository(SocialAccount)
      .findOneBy({ network, handle: normalizeHandle(handle), status: SocialAccountStatus.VERIFIED });
    if (!account) throw notFound('Influencer');
    return this.visibleInfluencer(principal, account.influencerId);
  }

  async profileOfUser(userId: string): Promise<Influencer | null> {
    return this.dataSource.getRepository(Influencer).findOneBy({ userId });
  }

  /**
   * Links an account to the user's influencer profile as PENDING, with a one-time code to put in
   * its bio; connecting again refreshes the declared figures of the caller's own link (a REVOKED
   * link becomes PENDING again, with a new code). Several influencers may hold PENDING links to
   * one account; an account someone else has proven (BIO, OPERATOR) is refused (HandleTakenError).
   */
  async connectSocialAccount(userId: string, input: ConnectSocialAccountInput): Promise<SocialAccount | HandleTakenError> {
    const influencer = await this.profileOfUser(userId);
    if (!influencer) throw notFound('Influencer profile');
    const handle = normalizeHandle(input.handle);
    const hash = handleHash(input.network, handle);
    const id: string | null = await this.dataSource.transaction(async (manager) => {
      // The node first: an ingest that creates it too holds it until it commits, and may then
      // want this account's lock (to verify a link), so the lock must not be held while waiting.
      await ensureActors(manager, [input.network], [hash]);
      await lockAccounts(manager, [{ network: input.network, handle }]);
      // A LEGACY link (made before ownership was checked) does not block: its owner may be a
      // squatter, and the real owner must be able to get a code and prove the account.
      const [owned] = await manager.query(
        `SELECT 1 FROM social_accounts
         WHERE network = $1 AND handle = $2 AND status = 'VERIFIED' AND verification_method <> 'LEGACY' AND influencer_id <> $3`,
        [input.network, handle, influencer.id],
      );
      if (owned) return null;
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO social_accounts
           (influencer_id, network, handle, followers, following, account_created_at, verified, actor_id, status, verification_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT id FROM actors WHERE network = $2 AND handle_hash = $8), 'PENDING', $9)
         ON CONFLICT (influencer_id, network, handle) DO UPDATE
           SET followers = EXCLUDED.followers, following = EXCLUDED.following,
               account_created_at = EXCLUDED.account_created_at, verified = EXCLUDED.verified, updated_at = now(),
               status = CASE WHEN social_accounts.status = 'REVOKED' THEN 'PENDING' ELSE social_accounts.status END,
               verification_code = CASE WHEN social_accounts.status = 'REVOKED' THEN EXCLUDED.verification_code
                                        ELSE social_accounts.verification_code END
         RETURNING id`,
        [
          influencer.id,
          input.network,
          handle,
          input.followers,
          input.following,
          input.accountCreatedAt,
          input.verified ?? false,
          hash,
          newVerificationCode(),
        ],
      );
      return row.id;
    });
    if (id === null) return new HandleTakenError();
    return this.dataSource.getRepository(SocialAccount).findOneByOrFail({ id });
  }

  /**
   * An operator's check of ownership: the link becomes VERIFIED (method OPERATOR) and every other
   * influencer's link to the account REVOKED. A link VERIFIED already is left as it is. An account
   * another influencer proved through its bio is theirs: the bio shows who controls the account,
   * and an operator's check (which a persuasive caller might obtain) does not override it.
   */
  async verifySocialAccount(id: string): Promise<SocialAccount | HandleTakenError> {
    const repository = this.dataSource.getRepository(SocialAccount);
    const link = isUuid(id) ? await repository.findOneBy({ id }) : null;
    if (!link) throw notFound('Social account');
    const provenByOther = await this.dataSource.transaction(async (manager) => {
      await lockAccounts(manager, [link]);
      const [proven] = await manager.query(
        `SELECT 1 FROM social_accounts
         WHERE network = $1 AND handle = $2 AND status = 'VERIFIED' AND verification_method = 'BIO' AND id <> $3`,
        [link.network, link.handle, link.id],
      );
      if (proven) return true;
      // The link may have been deleted (disconnected, erased) meanwhile: then nothing changes.
      await makeOwners(manager, [link.id], VerificationMethod.OPERATOR);
      return false;
    });
    if (provenByOther) {
      return new HandleTakenError(
        'Another influencer proved they own this account with the code in its bio; an operator check does not override that proof',
      );
    }
    const verified = await repository.findOneBy({ id });
    if (!verified) throw notFound('Social account');
    return verified;
  }

  /**
   * Changes the caller's own profile: omitted fields stay, `null` clears country or language.
   * Targeting reads the profile row itself (eligibility, the claim-time re-check, search), so the
   * new values count from the commit; live campaigns that target countries or languages are
   * matched again, so offers follow at once too (open offers of campaigns the person no longer
   * fits are withdrawn by that match). Allowed while opted out: it is their data.
   */
  async updateMyProfile(userId: string, input: UpdateMyProfileInput, log?: Logger): Promise<Influencer> {
    const repository = this.dataSource.getRepository(Influencer);
    const before = await repository.findOneBy({ userId });
    if (!before) throw notFound('Influencer profile');
    const changes: Partial<Pick<Influencer, 'displayName' | 'country' | 'language'>> = {};
    if (input.displayName !== undefined && input.displayName !== null) changes.displayName = input.displayName.trim();
    if (input.country !== undefined) changes.country = input.country === null ? null : input.country.toUpperCase();
    if (input.language !== undefined) changes.language = input.language === null ? null : normalizeLanguage(input.language);
    if (Object.keys(changes).length) await repository.update({ id: before.id }, changes);
    const after = await repository.findOneByOrFail({ id: before.id });
    const codes: string[] = [];
    if (after.country !== before.country) codes.push('COUNTRIES');
    if (after.language !== before.language) codes.push('LANGUAGES');
    if (codes.length && after.optedInAt !== null) await this.rematchTargeting(codes, log);
    return after;
  }

  /**
   * Unlinks one of the caller's own accounts (any other id: NOT_FOUND, as if it did not exist).
   * The link row goes with its state: a VERIFIED link's proof is gone (connecting the account
   * again means proving it again with a new code), a PENDING link's code stops working. The graph
   * node and the connectors' snapshots of the account stay, so nobody else's score moves; the
   * account stops counting toward the person's score from the next run, and for NETWORKS
   * targeting at once (the claim-time re-check reads the links; live campaigns targeting networks
   * are matched again).
   */
  async disconnectSocialAccount(userId: string, id: string, log?: Logger): Promise<DisconnectedSocialAccount> {
    const influencerId = await influencerIdOfUser(this.dataSource, userId).catch(() => null);
    const link = influencerId && isUuid(id) ? await this.dataSource.getRepository(SocialAccount).findOneBy({ id, influencerId }) : null;
    if (!link) throw notFound('Social account');
    const removed: Array<{ status: SocialAccountStatus }> = await this.dataSource.transaction(async (manager) => {
      // The account's lock: a connector verifying this link by its bio at the same moment goes first or finds it gone.
      await lockAccounts(manager, [link]);
      return manager.query(
        `WITH d AS (DELETE FROM social_accounts WHERE id = $1 AND influencer_id = $2 RETURNING status) SELECT status FROM d`,
        [id, influencerId],
      );
    });
    if (!removed.length) throw notFound('Social account'); // disconnected twice at once: the other call did it
    const wasVerified = removed[0].status === SocialAccountStatus.VERIFIED;
    if (wasVerified) await this.rematchTargeting(['NETWORKS'], log);
    return Object.assign(new DisconnectedSocialAccount(), {
      id: link.id,
      network: link.network,
      handle: link.handle,
      wasVerified,
      disconnectedAt: new Date(),
    });
  }

  /** Live campaigns whose targeting uses one of the conditions are matched again (after a commit). */
  private async rematchTargeting(codes: string[], log?: Logger): Promise<void> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE status IN ('ACTIVE', 'SOLD_OUT')
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(targeting) c WHERE c->>'code' = ANY($1::text[]))`,
      [codes],
    );
    const enqueued = await Promise.allSettled(rows.map((r) => this.matching.requestMatch(r.id)));
    // The change stands either way: a campaign not matched now is matched after the next score run.
    const failed = enqueued.filter((r) => r.status === 'rejected').length;
    if (failed) log?.warn({ campaigns: failed }, 'rematch after a profile change not enqueued');
  }
}

function canSee(principal: Principal, influencer: Influencer): boolean {
  if (principal.kind === 'apiKey') return true; // admitted by scope (SEARCH) at the resolver
  return principal.role !== Role.INFLUENCER || influencer.userId === principal.userId;
}
