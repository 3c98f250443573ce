import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export enum OrganizationKind {
  BRAND = 'BRAND',
  AGENCY = 'AGENCY',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind' });

@ObjectType({ description: 'A brand or an agency; people act for it through memberships' })
@Entity('organizations')
// Lets agency_clients reference (id, kind) pairs, so the database itself refuses a brand as an agency.
@Unique('organizations_id_kind_key', ['id', 'kind'])
@Check('organizations_max_active_claims_check', `"max_active_claims_per_influencer" >= 1`)
export class Organization {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => OrganizationKind)
  @Column({ type: 'enum', enum: OrganizationKind, enumName: 'organization_kind' })
  kind: OrganizationKind;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  /** A brand's cap on the active claims one influencer holds across its campaigns; null: no cap. Shown as BrandSettings. */
  @Column({ name: 'max_active_claims_per_influencer', type: 'integer', nullable: true })
  maxActiveClaimsPerInfluencer: number | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
