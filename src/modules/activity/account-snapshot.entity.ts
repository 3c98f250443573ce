import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Actor } from './actor.entity';

/**
 * The newest public profile snapshot a connector sent of one account (member or not), keyed by its
 * graph node. Only the figures the score model reads: no handle and no bio, so nobody is profiled.
 * Written set-wise by ingestActivity (an upsert guarded by observed_at), read by the score run.
 */
@Entity('account_snapshots')
@Check('account_snapshots_counts_check', '"followers" >= 0 AND "following" >= 0 AND "posts" >= 0')
@Check('account_snapshots_dates_check', '"account_created_at" <= "observed_at"')
export class AccountSnapshot {
  @PrimaryColumn({ name: 'actor_id', type: 'integer' })
  actorId: number;

  @Column({ type: 'integer' })
  followers: number;

  @Column({ type: 'integer' })
  following: number;

  /** Posts the account has published in all, as its profile counts them. */
  @Column({ type: 'integer' })
  posts: number;

  @Column({ name: 'account_created_at', type: 'timestamptz' })
  accountCreatedAt: Date;

  @Column({ type: 'boolean' })
  verified: boolean;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt: Date;

  @ManyToOne(() => Actor)
  @JoinColumn({ name: 'actor_id' })
  actor?: Actor;
}
