import type { DataSource } from 'typeorm';
import { Topic } from './topic.entity';

export class TopicsService {
  /** The taxonomy changes only with a migration (and so a restart): read once per process. */
  private taxonomy: Promise<Topic[]> | undefined;
  private slugs: Promise<Map<string, Topic>> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  all(): Promise<Topic[]> {
    this.taxonomy ??= this.dataSource.getRepository(Topic).find({ order: { family: 'ASC', slug: 'ASC' } });
    this.taxonomy.catch(() => (this.taxonomy = undefined));
    return this.taxonomy;
  }

  /** The same map on every call (callers only read it). */
  bySlug(): Promise<Map<string, Topic>> {
    if (!this.slugs) {
      this.slugs = this.all().then((topics) => new Map(topics.map((t) => [t.slug, t])));
      this.slugs.catch(() => (this.slugs = undefined));
    }
    return this.slugs;
  }
}
