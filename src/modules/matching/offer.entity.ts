import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Influencer } from '../influencers/influencer.entity';

export enum OfferStatus {
  OFFERED = 'OFFERED',
  CLAIMED = 'CLAIMED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(OfferStatus, {
  name: 'OfferStatus',
  description: 'OFFERED until claimed, declined, expired, or withdrawn (no longer eligible, or the campaign ended)',
});

@ObjectType({ description: 'A perk offered to one influencer; at most one per campaign and influencer' })
@Entity('offers')
// One offer per influencer per campaign, ever: matching twice cannot offer twice.
@Unique('offers_campaign_id_influencer_id_key', ['campaignId', 'influencerId'])
@Index('offers_outstanding_idx', ['campaignId'], { where: `"status" = 'OFFERED'` })
@Index('offers_expiry_idx', ['expiresAt'], { where: `"status" = 'OFFERED'` })
// Fair rotation counts each influencer's recent offers; myOffers lists them newest first.
@Index('offers_influencer_id_offered_at_idx', ['influencerId', 'offeredAt', 'id'])
export class Offer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => ID)
  @Column({ name: 'influencer_id', type: 'uuid' })
  influencerId: string;

  @Field(() => OfferStatus)
  @Column({ type: 'enum', enum: OfferStatus, enumName: 'offer_status', default: OfferStatus.OFFERED })
  status: OfferStatus;

  /** The match priority when offered (see matching.service.ts). */
  @Column({ type: 'real' })
  priority: number;

  @Field(() => Date)
  @Column({ name: 'offered_at', type: 'timestamptz', default: () => 'now()' })
  offeredAt: Date;

  @Field(() => Date)
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was claimed, declined, expired or withdrawn' })
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @ManyToOne(() => Influencer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: Influencer;
}
