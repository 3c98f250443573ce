import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../core/connection';
import { Topic } from '../topics/topic.entity';
import { ScoreRun } from './score-run.entity';

@ObjectType()
export class ScoreRunConnection extends Connection(ScoreRun) {}

@ObjectType({ description: "An influencer's score on one topic" })
export class TopicScore {
  @Field(() => Topic)
  topic: Topic;

  @Field(() => Int, { description: '10-100' })
  score: number;

  @Field(() => Float, { description: 'Weighted engagement on posts tagged with the topic' })
  engagement: number;
}

@ObjectType({ description: 'The score and its components on one run date' })
export class ScorePoint {
  @Field(() => String)
  runDate: string;

  @Field(() => Int)
  score: number;

  @Field(() => Int)
  reach: number;

  @Field(() => Int)
  amplification: number;

  @Field(() => Int)
  authority: number;
}

@ObjectType({ description: 'A component of the score with the raw figure behind it' })
export class ScoreComponent {
  @Field(() => Int, { description: '1-100' })
  score: number;

  @Field(() => Float, { description: 'The raw value mapped to the score (see docs/scoring.md)' })
  raw: number;

  @Field(() => Float, { description: 'How much of the overall score this component weighs' })
  weight: number;

  @Field(() => String)
  explanation: string;
}

@ObjectType({ description: 'Change against the previous run' })
export class ScoreDelta {
  @Field(() => String)
  previousRunDate: string;

  @Field(() => Int)
  score: number;

  @Field(() => Int)
  reach: number;

  @Field(() => Int)
  amplification: number;

  @Field(() => Int)
  authority: number;

  @Field(() => Int, { description: 'Change in the number of engagers' })
  engagers: number;

  @Field(() => Int, { nullable: true, description: 'Change in the number of credible engagers (null when either run predates model 2)' })
  credibleEngagers: number | null;
}

@ObjectType({ description: 'An account whose interactions raised this score' })
export class Engager {
  @Field(() => String)
  network: string;

  @Field(() => String, { nullable: true, description: 'Only for opted-in influencers; people who never signed up stay anonymous' })
  handle: string | null;

  @Field(() => String, { nullable: true })
  displayName: string | null;

  @Field(() => Int, { description: 'Their interactions with you in the window' })
  interactions: number;

  @Field(() => Float, {
    nullable: true,
    description: 'How much their engagement counts, 0-1 (see docs/scoring.md); null before score model 2',
  })
  credibility: number | null;

  @Field(() => Float, { description: "Their share of the listed engagers' contribution (rank x saturated interaction weight), 0-1" })
  share: number;
}

@ObjectType({ description: 'A post that drew engagement in the window' })
export class PostMoment {
  @Field(() => String)
  externalId: string;

  @Field(() => String)
  network: string;

  @Field(() => Date)
  postedAt: Date;

  @Field(() => [String], { description: 'Topic slugs' })
  topics: string[];

  @Field(() => Int)
  reactions: number;

  @Field(() => Float, { description: 'Weighted, decayed engagement' })
  engagement: number;
}

@ObjectType({ description: 'Why the score is what it is: components, change, and the moments behind it' })
export class ScoreExplanation {
  @Field(() => String)
  runDate: string;

  @Field(() => Int)
  score: number;

  @Field(() => ScoreComponent)
  reach: ScoreComponent;

  @Field(() => ScoreComponent)
  amplification: ScoreComponent;

  @Field(() => ScoreComponent)
  authority: ScoreComponent;

  @Field(() => Float, { nullable: true, description: 'The credible share of the engagement, 0-1; null before score model 2' })
  audienceQuality: number | null;

  @Field(() => Int, { nullable: true, description: 'Engagers whose credibility is at least 0.5; null before score model 2' })
  credibleEngagers: number | null;

  @Field(() => ScoreDelta, { nullable: true, description: 'Null on the first run that scored this influencer' })
  delta: ScoreDelta | null;

  @Field(() => [Engager])
  topEngagers: Engager[];

  @Field(() => [PostMoment])
  topPosts: PostMoment[];

  @Field(() => [String], { description: 'The explanation in sentences' })
  summary: string[];
}
