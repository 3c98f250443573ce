import type { Core } from '../core/core';
import type { Services } from './services';

/**
 * What every job handler receives besides its payload. Apart from jobs.ts (the registry, which
 * imports every job) so that job files can name it without an import cycle.
 */
export type JobDeps = Pick<Core, 'env' | 'dataSource' | 'redis'> & { services: Services };
