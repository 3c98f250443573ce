import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organization, OrganizationKind } from './organization.entity';

/**
 * A brand's grant to an agency to act for it. Each side is a foreign key to organizations(id, kind)
 * with its kind pinned by a CHECK, so the database itself refuses a brand recorded as an agency.
 */
@Entity('agency_clients')
@Index('agency_clients_brand_id_idx', ['brandId'])
@Check('agency_clients_agency_kind_check', `"agency_kind" = 'AGENCY'`)
@Check('agency_clients_brand_kind_check', `"brand_kind" = 'BRAND'`)
export class AgencyClient {
  @PrimaryColumn({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @PrimaryColumn({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Column({ name: 'agency_kind', type: 'enum', enum: OrganizationKind, enumName: 'organization_kind', default: OrganizationKind.AGENCY })
  agencyKind: OrganizationKind;

  @Column({ name: 'brand_kind', type: 'enum', enum: OrganizationKind, enumName: 'organization_kind', default: OrganizationKind.BRAND })
  brandKind: OrganizationKind;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'agency_id', referencedColumnName: 'id' },
    { name: 'agency_kind', referencedColumnName: 'kind' },
  ])
  agency?: Organization;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'brand_id', referencedColumnName: 'id' },
    { name: 'brand_kind', referencedColumnName: 'kind' },
  ])
  brand?: Organization;
}
