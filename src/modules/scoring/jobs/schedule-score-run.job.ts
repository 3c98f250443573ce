import type { JobDefinition } from '../../../core/queues';
import type { JobDeps } from '../../job-types';
import { ScoreRunTrigger } from '../score-run.entity';

declare module '../../../core/queues' {
  interface JobPayloads {
    'schedule-score-run': Record<string, never>;
  }
}

/** The last complete day in the time zone, as YYYY-MM-DD. */
export function yesterdayIn(timeZone: string, now = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Fired by the nightly job scheduler (SCORES_CRON in SCORES_TZ): requests the run for the day that just ended. */
export const scheduleScoreRunJob: JobDefinition<'schedule-score-run', Record<string, never>, JobDeps> = {
  name: 'schedule-score-run',
  queue: 'scoring',
  schedule: (deps) => ({ id: 'nightly-score-run', pattern: deps.env.SCORES_CRON, tz: deps.env.SCORES_TZ }),
  handler: async (_data, deps) => {
    const run = await deps.services.scoring.requestRun(yesterdayIn(deps.env.SCORES_TZ), ScoreRunTrigger.SCHEDULE);
    return { runId: run.id, runDate: run.runDate, status: run.status };
  },
};
