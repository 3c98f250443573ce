import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Actor } from '../activity/actor.entity';
import { Influencer } from './influencer.entity';
import { Network } from './network';

@ObjectType({ description: "An influencer's account on one network, with its latest snapshot" })
@Entity('social_accounts')
@Index('social_accounts_network_handle_key', ['network', 'handle'], { unique: true })
@Index('social_accounts_influencer_id_idx', ['influencerId'])
@Index('social_accounts_actor_id_key', ['actorId'], { unique: true })
@Check('social_accounts_counts_check', '"followers" >= 0 AND "following" >= 0')
export class SocialAccount {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'influencer_id', type: 'uuid' })
  influencerId: string;

  @Field(() => Network)
  @Column({ type: 'enum', enum: Network, enumName: 'network' })
  network: Network;

  /** Normalised: lower case, without a leading "@". */
  @Field(() => String)
  @Column({ type: 'text' })
  handle: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  followers: number;

  @Field(() => Int)
  @Column({ type: 'integer' })
  following: number;

  @Field(() => Date)
  @Column({ name: 'account_created_at', type: 'timestamptz' })
  accountCreatedAt: Date;

  @Field(() => Boolean)
  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** The graph node of this account (set when it is connected). */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @ManyToOne(() => Actor)
  @JoinColumn({ name: 'actor_id' })
  actor?: Actor;

  @ManyToOne(() => Influencer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: Influencer;
}
