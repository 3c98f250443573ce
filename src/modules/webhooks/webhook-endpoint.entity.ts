import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from '../accounts/organization.entity';
import { User } from '../accounts/user.entity';
import { WebhookEventType } from './webhook-events';

export enum WebhookEndpointStatus {
  ENABLED = 'ENABLED',
  DISABLED = 'DISABLED',
}
registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'DISABLED: switched off by its managers, or after failing every delivery for the retry window (see disabledReason)',
});

@ObjectType({ description: "Where an organisation is told about events of its (or its client brands') campaigns, by signed POSTs" })
@Entity('webhook_endpoints')
// What every emitting statement asks: the enabled endpoints of an organisation (one cheap probe when there are none).
@Index('webhook_endpoints_enabled_organization_idx', ['organizationId'], { where: `"status" = 'ENABLED'` })
@Index('webhook_endpoints_organization_id_idx', ['organizationId', 'createdAt'])
@Check('webhook_endpoints_url_check', `length("url") <= 2048 AND "url" ~ '^https?://'`)
@Check('webhook_endpoints_description_check', `length("description") <= 500`)
@Check(
  'webhook_endpoints_events_check',
  `cardinality("events") >= 1 AND "events" <@ ARRAY['claim.created', 'claim.cancelled', 'claim.redeemed', 'offer.declined', 'campaign.sold_out', 'campaign.ended']::text[]`,
)
@Check('webhook_endpoints_secret_check', `"secret" ~ '^whsec_[A-Za-z0-9_-]{32,}$'`)
@Check(
  'webhook_endpoints_disabled_check',
  `("status" = 'DISABLED') = ("disabled_at" IS NOT NULL) AND ("disabled_reason" IS NULL OR "disabled_at" IS NOT NULL)`,
)
@Check('webhook_endpoints_lease_check', `("lease_token" IS NULL) = ("lease_until" IS NULL)`)
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  url: string;

  @Field(() => String)
  @Column({ type: 'text', default: '' })
  description: string;

  @Field(() => [WebhookEventType])
  @Column({ type: 'text', array: true })
  events: WebhookEventType[];

  /** Signs deliveries; shown once, at creation (or rotation), never a field. */
  @Column({ type: 'text', select: false })
  secret: string;

  @Field(() => WebhookEndpointStatus)
  @Column({ type: 'enum', enum: WebhookEndpointStatus, enumName: 'webhook_endpoint_status', default: WebhookEndpointStatus.ENABLED })
  status: WebhookEndpointStatus;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was disabled (by whom, or after how long failing)' })
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Field(() => Date, { nullable: true, description: 'Since when every delivery attempt has failed (null: the last one succeeded)' })
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** The disable its managers were mailed about (disabled-notice.ts): each disable is mailed once. */
  @Column({ name: 'disabled_mailed_at', type: 'timestamptz', nullable: true, select: false })
  disabledMailedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The delivery runner holding the endpoint (webhook-delivery.ts), and until when. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true, select: false })
  leaseToken: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true, select: false })
  leaseUntil: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;
}
