import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A subject of the seeded taxonomy that posts are tagged with and campaigns target' })
@Entity('topics')
@Index('topics_slug_key', ['slug'], { unique: true })
export class Topic {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'smallint' })
  id: number;

  @Field(() => String, { description: 'Stable identifier, e.g. "tech-ai"' })
  @Column({ type: 'text' })
  slug: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'The family the topic belongs to, e.g. "tech"' })
  @Column({ type: 'text' })
  family: string;
}
