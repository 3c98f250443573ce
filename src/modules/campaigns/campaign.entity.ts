import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../accounts/organization.entity';
import type { Targeting } from './targeting';

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  SOLD_OUT = 'SOLD_OUT',
  ENDED = 'ENDED',
}
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'DRAFT -> ACTIVE <-> PAUSED -> ENDED; SOLD_OUT while no unit is left',
});

export enum PerkKind {
  PRODUCT = 'PRODUCT',
  EXPERIENCE = 'EXPERIENCE',
  DISCOUNT = 'DISCOUNT',
  ACCESS = 'ACCESS',
}
registerEnumType(PerkKind, { name: 'PerkKind' });

/** bigint columns as numbers: money in minor units stays far below 2^53. */
const bigintNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@ObjectType({ description: 'What an influencer gets' })
export class Perk {
  @Field(() => String)
  title: string;

  @Field(() => String)
  description: string;

  @Field(() => PerkKind)
  kind: PerkKind;

  @Field(() => Int, { description: 'Value of one unit in minor units (cents)' })
  valueCents: number;

  @Field(() => String, { description: 'ISO 4217' })
  currency: string;
}

@ObjectType({ description: "A brand's perk campaign" })
@Entity('campaigns')
@Index('campaigns_brand_id_created_at_idx', ['brandId', 'createdAt', 'id'])
@Index('campaigns_created_at_idx', ['createdAt', 'id'])
// The sweep that ends campaigns past endsAt reads only the live ones.
@Index('campaigns_live_ends_at_idx', ['endsAt'], { where: `"status" IN ('ACTIVE', 'PAUSED', 'SOLD_OUT')` })
@Check('campaigns_inventory_check', `"inventory" >= 0`)
@Check('campaigns_remaining_check', `"remaining" >= 0 AND "remaining" <= "inventory"`)
@Check('campaigns_schedule_check', `"ends_at" > "starts_at"`)
@Check('campaigns_offer_lifetime_check', `"offer_lifetime_hours" BETWEEN 1 AND 2160`)
@Check('campaigns_max_outstanding_check', `"max_outstanding_offers" >= 1`)
@Check('campaigns_perk_value_check', `"perk_value_cents" >= 0`)
@Check('campaigns_perk_currency_check', `"perk_currency" ~ '^[A-Z]{3}$'`)
@Check('campaigns_budget_check', `"budget" >= 0`)
// The database itself refuses spending past the budget, whatever path writes it.
@Check('campaigns_budget_spent_check', `"budget_spent" >= 0 AND ("budget" IS NULL OR "budget_spent" <= "budget")`)
export class Campaign {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'perk_title', type: 'text' })
  perkTitle: string;

  @Column({ name: 'perk_description', type: 'text', default: '' })
  perkDescription: string;

  @Column({ name: 'perk_kind', type: 'enum', enum: PerkKind, enumName: 'perk_kind' })
  perkKind: PerkKind;

  @Column({ name: 'perk_value_cents', type: 'integer' })
  perkValueCents: number;

  @Column({ name: 'perk_currency', type: 'char', length: 3 })
  perkCurrency: string;

  @Field(() => Int, { description: 'Units offered in all' })
  @Column({ type: 'integer' })
  inventory: number;

  /** inventory - remaining = units held by active claims (kept so by the claim and cancel paths). */
  @Field(() => Int, { description: 'Units not yet claimed' })
  @Column({ type: 'integer' })
  remaining: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "Money the campaign may spend, in minor units of the perk's currency (cents); each claim spends the perk's value. Null: no budget",
  })
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  budget: number | null;

  /** The perk value of every active or redeemed claim (a cancelled claim is refunded); kept so by the claim and cancel paths. */
  @Field(() => Int, {
    description:
      "Money spent by active and redeemed claims, in minor units of the perk's currency (cents); tracked with or without a budget",
  })
  @Column({ name: 'budget_spent', type: 'bigint', default: 0, transformer: bigintNumber })
  budgetSpent: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  targeting: Targeting;

  @Field(() => Date)
  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Field(() => Date)
  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Field(() => Int)
  @Column({ name: 'offer_lifetime_hours', type: 'integer' })
  offerLifetimeHours: number;

  @Field(() => Int)
  @Column({ name: 'max_outstanding_offers', type: 'integer' })
  maxOutstandingOffers: number;

  @Field(() => CampaignStatus)
  @Column({ type: 'enum', enum: CampaignStatus, enumName: 'campaign_status', default: CampaignStatus.DRAFT })
  status: CampaignStatus;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'launched_at', type: 'timestamptz', nullable: true })
  launchedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'brand_id' })
  brand?: Organization;

  @Field(() => Perk)
  get perk(): Perk {
    return Object.assign(new Perk(), {
      title: this.perkTitle,
      description: this.perkDescription,
      kind: this.perkKind,
      valueCents: this.perkValueCents,
      currency: this.perkCurrency,
    });
  }
}
