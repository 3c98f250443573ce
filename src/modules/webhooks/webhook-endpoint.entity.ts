import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
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

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
