import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Offer } from '../matching/offer.entity';

export enum ClaimStatus {
  ACTIVE = 'ACTIVE',
  REDEEMED = 'REDEEMED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ClaimStatus, { name: 'ClaimStatus', description: 'ACTIVE holds a unit until REDEEMED; CANCELLED returns it' });

@ObjectType({ description: 'A unit of a perk held for an influencer, redeemed once with its code' })
@Entity('claims')
// One claim per influencer per campaign (after an erasure, influencer_id holds a random stand-in shared with the offer).
@Index('claims_campaign_id_influencer_id_key', ['campaignId', 'influencerId'], { unique: true })
@Index('claims_offer_id_key', ['offerId'], { unique: true })
@Index('claims_code_key', ['code'], { unique: true })
// The ledger's keyset scans, newest first: a campaign's claims, and an influencer's own.
@Index('claims_campaign_id_claimed_at_idx', ['campaignId', 'claimedAt', 'id'])
@Index('claims_influencer_id_claimed_at_idx', ['influencerId', 'claimedAt', 'id'])
export class Claim {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'influencer_id', type: 'uuid' })
  influencerId: string;

  /** 128 random bits, shown to the influencer only (the brand redeems it). */
  @Column({ type: 'text' })
  code: string;

  @Field(() => ClaimStatus)
  @Column({ type: 'enum', enum: ClaimStatus, enumName: 'claim_status', default: ClaimStatus.ACTIVE })
  status: ClaimStatus;

  @Field(() => Date)
  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true })
  redeemedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @ManyToOne(() => Offer)
  @JoinColumn({ name: 'offer_id' })
  offer?: Offer;

  @ManyToOne(() => Campaign)
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;
}

/** The first answer to a claim with an idempotency key, replayed for retries with the same key. */
@Entity('claim_requests')
export class ClaimRequest {
  @Column({ name: 'influencer_id', type: 'uuid', primary: true })
  influencerId: string;

  @Column({ name: 'idempotency_key', type: 'text', primary: true })
  idempotencyKey: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  /** The result as data: { claimId } or a failure as CLAIM_FAILURES stores it. Null while the first request runs. */
  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
