import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { SocialAccount } from './social-account.entity';

/** Social accounts of many influencers in one query (a search page lists up to 100). */
export function socialAccountsLoader(dataSource: DataSource): DataLoader<string, SocialAccount[]> {
  return new DataLoader(async (ids) => {
    const accounts = await dataSource
      .getRepository(SocialAccount)
      .find({ where: { influencerId: In([...ids]) }, order: { network: 'ASC', handle: 'ASC' } });
    const byInfluencer = new Map<string, SocialAccount[]>();
    for (const account of accounts) {
      const list = byInfluencer.get(account.influencerId) ?? [];
      list.push(account);
      byInfluencer.set(account.influencerId, list);
    }
    return ids.map((id) => byInfluencer.get(id) ?? []);
  });
}

/** The influencer profile id of each user (null: none), to know whose verification codes a caller may see. */
export function influencerIdOfUserLoader(dataSource: DataSource): DataLoader<string, string | null> {
  return new DataLoader(async (userIds) => {
    const rows: Array<{ id: string; user_id: string }> = await dataSource.query(
      `SELECT id, user_id FROM influencers WHERE user_id = ANY($1::uuid[])`,
      [[...userIds]],
    );
    const byUser = new Map(rows.map((r) => [r.user_id, r.id]));
    return userIds.map((id) => byUser.get(id) ?? null);
  });
}
