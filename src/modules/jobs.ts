import type { JobDefinition } from '../core/queues';
import type { Core } from '../boot';
import type { Services } from './services';

/** What every job handler receives besides its payload. */
export type JobDeps = Pick<Core, 'env' | 'dataSource' | 'redis'> & { services: Services };

/**
 * Every job the worker runs, from modules/<domain>/jobs/*.job.ts. None yet: score runs (issue
 * "Influence scores") and matching add theirs here.
 */
export const jobs: ReadonlyArray<JobDefinition<string, any, JobDeps>> = [];
