import type { DataSource } from 'typeorm';
import type { RequestContext } from '../core/context';
import { ScoreReader } from './scoring/score-reader';

/** Per-request batching and caching, one set per request (DataLoaders must never outlive it). */
export interface Loaders {
  scores: ScoreReader;
}

export function createLoaders(dataSource: DataSource): Loaders {
  return { scores: new ScoreReader(dataSource) };
}

/** What module resolvers receive: the core request context plus this request's loaders. */
export type ModuleContext = RequestContext & { loaders: Loaders };
