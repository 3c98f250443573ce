import type { DataSource } from 'typeorm';
import { Topic } from './topic.entity';

export class TopicsService {
  /** The taxonomy changes only with a migration (and so a restart): read once per process. */
  private taxonomy: Promise<Topic[]> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  all(): Promise<Topic[]> {
    this.taxonomy ??= this.dataSource.getRepository(Topic).find({ order: { family: 'ASC', slug: 'ASC' } });
    this.taxonomy.catch(() => (this.taxonomy = undefined));
    return this.taxonomy;
  }

  async bySlug(): Promise<Map<string, Topic>> {
    return new Map((await this.all()).map((t) => [t.slug, t]));
  }
}
