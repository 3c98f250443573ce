import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { managedBrandsSql } from '../../core/access';
import { Role, type Principal } from '../../core/context';
import type { Network } from '../influencers/network';
import { Offer } from '../matching/offer.entity';
import type { Claim } from './claim.entity';
import { ClaimInfluencer, VerifiedHandle } from './claims-ledger.types';

export interface ClaimsLedgerLoaders {
  /** Who holds each claim: display name and VERIFIED handles; null once erased (the claim keeps a stand-in id). */
  influencers: DataLoader<string, ClaimInfluencer | null>;
  offers: DataLoader<string, Offer | null>;
  /** The influencer profile of a user, opted in or out (null: none): the holder of a claim sees its code. */
  influencerOfUser: DataLoader<string, string | null>;
  /** Whether the request's principal manages each campaign (one per request: the principal does not change). */
  managesCampaign(principal: Principal): DataLoader<string, boolean>;
}

/** A page of 100 claims shows each one's influencer, offer and visibility: one query per kind, not per claim. */
export function claimsLedgerLoaders(dataSource: DataSource): ClaimsLedgerLoaders {
  let manages: { principal: Principal; loader: DataLoader<string, boolean> } | undefined;
  return {
    influencers: new DataLoader(async (ids) => {
      const rows: Array<{ id: string; display_name: string; handles: Array<{ network: Network; handle: string }> }> =
        await dataSource.query(
          `SELECT i.id, i.display_name,
                coalesce((SELECT json_agg(json_build_object('network', s.network, 'handle', s.handle) ORDER BY s.network, s.handle)
                          FROM social_accounts s WHERE s.influencer_id = i.id AND s.status = 'VERIFIED'), '[]') AS handles
         FROM influencers i WHERE i.id = ANY($1::uuid[])`,
          [[...ids]],
        );
      const byId = new Map(
        rows.map((r) => [
          r.id,
          Object.assign(new ClaimInfluencer(), {
            id: r.id,
            displayName: r.display_name,
            handles: r.handles.map((h) => Object.assign(new VerifiedHandle(), h)),
          }),
        ]),
      );
      return ids.map((id) => byId.get(id) ?? null);
    }),
    offers: new DataLoader(async (ids) => {
      const rows = await dataSource.getRepository(Offer).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    influencerOfUser: new DataLoader(async (userIds) => {
      const rows: Array<{ id: string; user_id: string }> = await dataSource.query(
        `SELECT id, user_id FROM influencers WHERE user_id = ANY($1::uuid[])`,
        [[...userIds]],
      );
      const byUser = new Map(rows.map((r) => [r.user_id, r.id]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    managesCampaign(principal) {
      if (manages && manages.principal !== principal) throw new Error('managesCampaign: one principal per request');
      manages ??= {
        principal,
        loader: new DataLoader(async (campaignIds) => {
          const params: unknown[] = [[...campaignIds]];
          const managed = managedBrandsSql(principal, params);
          const rows: Array<{ id: string }> = await dataSource.query(
            `SELECT k.id FROM campaigns k WHERE k.id = ANY($1::uuid[]) ${managed ? `AND k.brand_id IN (${managed})` : ''}`,
            params,
          );
          const ok = new Set(rows.map((r) => r.id));
          return campaignIds.map((id) => ok.has(id));
        }),
      };
      return manages.loader;
    },
  };
}

/** Whether the principal is the influencer who holds the claim (only they see its code). */
export async function isClaimHolder(loaders: ClaimsLedgerLoaders, principal: Principal | null, claim: Claim): Promise<boolean> {
  if (principal?.kind !== 'user' || principal.role !== Role.INFLUENCER) return false;
  return claim.influencerId === (await loaders.influencerOfUser.load(principal.userId));
}

/** The holder and the managers of the claim's campaign see who holds it and what was offered. */
export async function canSeeClaim(loaders: ClaimsLedgerLoaders, principal: Principal | null, claim: Claim): Promise<boolean> {
  if (!principal) return false;
  if (principal.kind === 'user' && principal.role === Role.INFLUENCER) return isClaimHolder(loaders, principal, claim);
  return loaders.managesCampaign(principal).load(claim.campaignId);
}
