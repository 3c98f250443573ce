import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Actor } from '../activity/actor.entity';
import { Influencer } from './influencer.entity';
import { Network } from './network';

export enum SocialAccountStatus {
  /** Linked, ownership not proven yet: counts for nobody. */
  PENDING = 'PENDING',
  /** Ownership proven: the account counts toward its influencer's score, topics, eligibility and search. */
  VERIFIED = 'VERIFIED',
  /** Someone else proved they own the account. */
  REVOKED = 'REVOKED',
}
registerEnumType(SocialAccountStatus, { name: 'SocialAccountStatus' });

export enum VerificationMethod {
  /** A connector saw the one-time code in the account's bio. */
  BIO = 'BIO',
  /** An operator checked it (verifySocialAccount). */
  OPERATOR = 'OPERATOR',
  /** Linked before ownership was checked, and kept. */
  LEGACY = 'LEGACY',
}
registerEnumType(VerificationMethod, { name: 'VerificationMethod' });

@ObjectType({ description: 'Whether the influencer proved they own the account' })
export class SocialAccountVerification {
  @Field(() => SocialAccountStatus)
  status: SocialAccountStatus;

  @Field(() => String, {
    nullable: true,
    description:
      "While PENDING, shown to its influencer only: put it anywhere in the account's bio, and the account is verified when a connector next reads the profile",
  })
  code: string | null;

  @Field(() => Date, { nullable: true })
  verifiedAt: Date | null;

  @Field(() => VerificationMethod, { nullable: true })
  method: VerificationMethod | null;
}

@ObjectType({ description: "An influencer's account on one network, with the figures they declared" })
@Entity('social_accounts')
@Index('social_accounts_network_handle_verified_key', ['network', 'handle'], { unique: true, where: `"status" = 'VERIFIED'` })
@Index('social_accounts_actor_id_verified_key', ['actorId'], { unique: true, where: `"status" = 'VERIFIED'` })
@Index('social_accounts_influencer_id_network_handle_key', ['influencerId', 'network', 'handle'], { unique: true })
@Index('social_accounts_network_handle_idx', ['network', 'handle'])
@Check('social_accounts_counts_check', '"followers" >= 0 AND "following" >= 0')
@Check('social_accounts_code_check', `("status" = 'PENDING') = ("verification_code" IS NOT NULL)`)
@Check('social_accounts_code_format_check', `"verification_code" ~ '^perks-[a-z2-7]{10}$'`)
@Check(
  'social_accounts_verified_check',
  `("status" = 'VERIFIED') = ("verified_at" IS NOT NULL) AND ("status" = 'VERIFIED') = ("verification_method" IS NOT NULL)`,
)
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

  // The figures below are what the influencer declared: shown back to them, never read by the score
  // (which reads connectors' snapshots, account_snapshots).
  @Field(() => Int, { description: 'As declared by the influencer; the score reads what connectors see instead' })
  @Column({ type: 'integer' })
  followers: number;

  @Field(() => Int, { description: 'As declared by the influencer' })
  @Column({ type: 'integer' })
  following: number;

  @Field(() => Date, { description: 'As declared by the influencer' })
  @Column({ name: 'account_created_at', type: 'timestamptz' })
  accountCreatedAt: Date;

  @Field(() => Boolean, { description: 'As declared by the influencer' })
  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Column({ type: 'enum', enum: SocialAccountStatus, enumName: 'social_account_status' })
  status: SocialAccountStatus;

  /** The one-time code, while PENDING (a CHECK): never exposed but to its influencer. */
  @Column({ name: 'verification_code', type: 'text', nullable: true })
  verificationCode: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({
    name: 'verification_method',
    type: 'enum',
    enum: VerificationMethod,
    enumName: 'social_account_verification_method',
    nullable: true,
  })
  verificationMethod: VerificationMethod | null;

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
