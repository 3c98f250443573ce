import { Query, Resolver } from 'type-graphql';
import { Topic } from './topic.entity';
import { TopicsService } from './topics.service';

@Resolver(() => Topic)
export class TopicResolver {
  constructor(private readonly topicService: TopicsService) {}

  @Query(() => [Topic], { description: 'The topic taxonomy, by family and slug' })
  topics(): Promise<Topic[]> {
    return this.topicService.all();
  }
}
