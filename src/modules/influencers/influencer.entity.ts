import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

@ObjectType({ description: 'A person who opted in to be scored and offered perks', simpleResolvers: true })
@Entity('influencers')
@Index('influencers_user_id_key', ['userId'], { unique: true })
@Index('influencers_opted_out_idx', ['id'], { where: '"opted_in_at" IS NULL' })
@Check('influencers_opt_out_check', '"opted_out_at" IS NULL OR "opted_in_at" IS NULL')
export class Influencer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null for profiles that exist without a login (synthetic and imported data). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Field(() => String)
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, upper case' })
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 639-1, lower case' })
  @Column({ type: 'varchar', length: 8, nullable: true })
  language: string | null;

  /** Only opted-in influencers are profiled and scored. */
  @Field(() => Date, { nullable: true, description: 'Since when they are opted in; null while opted out (see optOut)' })
  @Column({ name: 'opted_in_at', type: 'timestamptz', nullable: true })
  optedInAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When they opted out, while they are opted out' })
  @Column({ name: 'opted_out_at', type: 'timestamptz', nullable: true })
  optedOutAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
