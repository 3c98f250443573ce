import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ApiKeyScope } from '../../core/context';
import { Organization } from './organization.entity';
import { User } from './user.entity';

registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  valuesConfig: {
    INGEST: { description: 'Push social activity (connectors; issued by an admin)' },
    SEARCH: { description: 'Search eligible influencers for the organisation' },
    CAMPAIGNS: { description: "Manage the organisation's campaigns" },
    REDEEM: { description: 'Redeem claim codes for the brand' },
  },
});

@ObjectType({ description: 'A machine credential. The secret is shown once, at creation; only its hash is stored.' })
@Entity('api_keys')
@Index('api_keys_prefix_key', ['prefix'], { unique: true })
@Index('api_keys_organization_id_idx', ['organizationId'])
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'The public start of the key, to recognise it in lists and logs' })
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the whole key: keys are 256-bit random, so a slow hash adds nothing. */
  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash: Buffer;

  @Field(() => [ApiKeyScope])
  @Column({ type: 'enum', enum: ApiKeyScope, enumName: 'api_key_scope', array: true })
  scopes: ApiKeyScope[];

  /** Null for connector keys issued by an admin. */
  @Field(() => ID, { nullable: true })
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;
}
