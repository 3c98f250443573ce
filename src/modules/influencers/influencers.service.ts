import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { Role, type Principal } from '../../core/context';
import { isUuid } from '../accounts/accounts.service';
import type { Network } from './network';
import { notFound } from '../../core/errors';
import { handleHash, normalizeHandle } from '../activity/actor-key';
import { ensureActors } from '../activity/activity.service';
import { HandleTakenError } from './influencers.errors';
import type { ConnectSocialAccountInput } from './influencers.types';
import { Influencer } from './influencer.entity';
import { SocialAccount } from './social-account.entity';

export interface NewInfluencerProfile {
  userId: string | null;
  displayName: string;
  country?: string;
  language?: string;
}

/** The id of the user's opted-in influencer profile (inside a transaction when given its manager). */
export async function optedInInfluencerId(db: DataSource | EntityManager, userId: string): Promise<string> {
  const [row] = await db.query(`SELECT id FROM influencers WHERE user_id = $1 AND opted_in_at IS NOT NULL`, [userId]);
  if (!row) throw notFound('Influencer profile');
  return row.id;
}

export class InfluencersService {
  constructor(private readonly dataSource: DataSource) {}

  /** Signing up as an influencer is the opt-in: profiling starts from this moment. */
  async createProfile(manager: EntityManager, profile: NewInfluencerProfile): Promise<Influencer> {
    return manager.save(
      manager.create(Influencer, {
        userId: profile.userId,
        displayName: profile.displayName,
        country: profile.country?.toUpperCase() ?? null,
        language: profile.language?.toLowerCase() ?? null,
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

  async visibleInfluencerByHandle(principal: Principal, network: Network, handle: string): Promise<Influencer> {
    const account = await this.dataSource.getRepository(SocialAccount).findOneBy({ network, handle: normalizeHandle(handle) });
    if (!account) throw notFound('Influencer');
    return this.visibleInfluencer(principal, account.influencerId);
  }

  async profileOfUser(userId: string): Promise<Influencer | null> {
    return this.dataSource.getRepository(Influencer).findOneBy({ userId });
  }

  /**
   * Connects an account to the user's influencer profile, or refreshes its snapshot when it is
   * already theirs. A handle connected to someone else is refused by the unique (network, handle).
   */
  async connectSocialAccount(userId: string, input: ConnectSocialAccountInput): Promise<SocialAccount | HandleTakenError> {
    const influencer = await this.profileOfUser(userId);
    if (!influencer) throw notFound('Influencer profile');
    const handle = normalizeHandle(input.handle);
    const hash = handleHash(input.network, handle);
    const rows: Array<{ id: string }> = await this.dataSource.transaction(async (manager) => {
      await ensureActors(manager, [input.network], [hash]);
      // Insert, or refresh the snapshot only when the existing row is this influencer's.
      return manager.query(
        `INSERT INTO social_accounts (influencer_id, network, handle, followers, following, account_created_at, verified, actor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT id FROM actors WHERE network = $2 AND handle_hash = $8))
         ON CONFLICT (network, handle) DO UPDATE
           SET followers = EXCLUDED.followers, following = EXCLUDED.following,
               account_created_at = EXCLUDED.account_created_at, verified = EXCLUDED.verified, updated_at = now()
           WHERE social_accounts.influencer_id = EXCLUDED.influencer_id
         RETURNING id`,
        [influencer.id, input.network, handle, input.followers, input.following, input.accountCreatedAt, input.verified ?? false, hash],
      );
    });
    // No row back: the handle belongs to another influencer, and nothing was changed.
    if (!rows.length) return new HandleTakenError();
    return this.dataSource.getRepository(SocialAccount).findOneByOrFail({ id: rows[0].id });
  }
}

function canSee(principal: Principal, influencer: Influencer): boolean {
  if (principal.kind === 'apiKey') return true; // admitted by scope (SEARCH) at the resolver
  return principal.role !== Role.INFLUENCER || influencer.userId === principal.userId;
}
