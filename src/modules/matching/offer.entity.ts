import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

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
// No foreign keys: the matcher inserts offers by the hundred thousand, and per-row RI triggers
// cost more than the insert itself. Campaigns are never deleted; erasure handles offers itself.
@Entity('offers')
// One offer per influencer per campaign, ever: matching twice cannot offer twice. Led by the
// influencer, it also serves myOffers and the fair-rotation counts.
@Unique('offers_influencer_id_campaign_id_key', ['influencerId', 'campaignId'])
// Open offers per campaign, by expiry: the cap on outstanding offers and the expiry sweep.
// Few indexes on purpose: the matcher inserts offers by the hundred thousand.
@Index('offers_open_idx', ['campaignId', 'expiresAt'], { where: `"status" = 'OFFERED'` })
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

  /** When the "expiring within 24 h" notification was written or skipped (the sweep's marker: once per offer). */
  @Column({ name: 'expiry_notified_at', type: 'timestamptz', nullable: true, select: false })
  expiryNotifiedAt: Date | null;
}
