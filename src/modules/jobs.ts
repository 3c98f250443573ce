import type { JobDefinition } from '../core/queues';
import { endCampaignsJob } from './campaigns/jobs/end-campaigns.job';
import { expireOffersJob } from './matching/jobs/expire-offers.job';
import { matchCampaignJob } from './matching/jobs/match-campaign.job';
import { notifyExpiringOffersJob } from './matching/jobs/notify-expiring-offers.job';
import { sendEmailJob } from './notifications/jobs/send-email.job';
import { sweepEmailJob } from './notifications/jobs/sweep-email.job';
import { rematchCampaignsJob } from './matching/jobs/rematch-campaigns.job';
import { scoreRunCompletedJob } from './matching/jobs/score-run-completed.job';
import { startCampaignJob } from './matching/jobs/start-campaign.job';
import { recomputeScoresJob } from './scoring/jobs/recompute-scores.job';
import { resumeScoreRunsJob } from './scoring/jobs/resume-score-runs.job';
import { scheduleScoreRunJob } from './scoring/jobs/schedule-score-run.job';
import type { JobDeps } from './job-types';
import { deliverWebhooksJob } from './webhooks/jobs/deliver-webhooks.job';
import { mailWebhookDisabledJob } from './webhooks/jobs/mail-webhook-disabled.job';
import { sweepWebhooksJob } from './webhooks/jobs/sweep-webhooks.job';

/** Every job the worker runs, from modules/<domain>/jobs/*.job.ts. */
export const jobs: ReadonlyArray<JobDefinition<string, any, JobDeps>> = [
  recomputeScoresJob,
  scheduleScoreRunJob,
  endCampaignsJob,
  matchCampaignJob,
  startCampaignJob,
  scoreRunCompletedJob,
  expireOffersJob,
  notifyExpiringOffersJob,
  resumeScoreRunsJob,
  rematchCampaignsJob,
  deliverWebhooksJob,
  sweepWebhooksJob,
  mailWebhookDisabledJob,
  sweepEmailJob,
  sendEmailJob,
];
