import type { DataSource } from 'typeorm';
import { Topic } from './topic.entity';

export class TopicsService {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<Topic[]> {
    return this.dataSource.getRepository(Topic).find({ order: { family: 'ASC', slug: 'ASC' } });
  }
}
