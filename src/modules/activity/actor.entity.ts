import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Network } from '../influencers/network';

/**
 * A node of the interaction graph: one account on one network. It holds no handle and no profile,
 * only a hash of (network, handle), so people who never signed up are not profiled.
 */
@Entity('actors')
@Index('actors_network_handle_hash_key', ['network', 'handleHash'], { unique: true })
@Index('actors_erased_quality_idx', ['id'], { where: '"erased_quality" IS NOT NULL' })
@Check('actors_handle_hash_check', 'octet_length("handle_hash") = 32')
export class Actor {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'enum', enum: Network, enumName: 'network' })
  network: Network;

  @Column({ name: 'handle_hash', type: 'bytea' })
  handleHash: Buffer;

  /**
   * Set when the influencer who owned this account erased their data: the teleport prior their
   * account snapshot gave the node, kept so that other people's scores do not move (the handle
   * hash is replaced by random bytes, so nothing leads back to the account).
   */
  @Column({ name: 'erased_quality', type: 'double precision', nullable: true })
  erasedQuality: number | null;

  /** Beside erasedQuality: the evidence quality (model version 2) its connector snapshot gave the node, or null for none. */
  @Column({ name: 'erased_evidence', type: 'double precision', nullable: true })
  erasedEvidence: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
