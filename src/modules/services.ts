import type { DataSource } from 'typeorm';
import type { Env } from '../core/env';
import { createMailer } from '../core/mailer';
import type { Queues } from '../core/queues';
import { AccountsService } from './accounts/accounts.service';
import { AgenciesService } from './agencies/agencies.service';
import { ClaimsLedger } from './claims/claims-ledger';
import { ClaimsService } from './claims/claims.service';
import { MatchingService } from './matching/matching.service';
import { CampaignsService } from './campaigns/campaigns.service';
import { ActivityService } from './activity/activity.service';
import { InfluencersService } from './influencers/influencers.service';
import { EmailService } from './notifications/email.service';
import { NotificationsService } from './notifications/notifications.service';
import { OperationsService } from './operations/operations.service';
import { ConsentService } from './privacy/consent.service';
import { DataExportService } from './privacy/data-export';
import { PrivacyService } from './privacy/privacy.service';
import { ScoringService } from './scoring/scoring.service';
import { TopicsService } from './topics/topics.service';
import { WebhooksService } from './webhooks/webhooks.service';

/** Every module's service, built once per process; the API and the worker share this wiring. */
export interface Services {
  accounts: AccountsService;
  agencies: AgenciesService;
  activity: ActivityService;
  campaigns: CampaignsService;
  claims: ClaimsService;
  claimsLedger: ClaimsLedger;
  matching: MatchingService;
  influencers: InfluencersService;
  notifications: NotificationsService;
  email: EmailService;
  operations: OperationsService;
  privacy: PrivacyService;
  consent: ConsentService;
  dataExport: DataExportService;
  scoring: ScoringService;
  topics: TopicsService;
  webhooks: WebhooksService;
}

/** `instanceId`: the database's (src/core/instance.ts), carried by the job ids built from database ids. */
export function createServices(dataSource: DataSource, env: Env, queues: Queues, instanceId: string): Services {
  const topics = new TopicsService(dataSource);
  // Null without SMTP_URL: no mail at all. Only the worker sends; the API process never connects it.
  const mailer = createMailer(env);
  const webhooks = new WebhooksService(
    dataSource,
    queues,
    {
      allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
      production: env.NODE_ENV === 'production',
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      instanceId,
    },
    mailer,
  );
  const notifications = new NotificationsService(dataSource);
  const matching = new MatchingService(dataSource, queues, instanceId, webhooks);
  const campaigns = new CampaignsService(dataSource, topics, webhooks, matching);
  const influencers = new InfluencersService(dataSource, matching);
  const accounts = new AccountsService(dataSource, influencers, {
    tokens: { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, ttlSeconds: env.JWT_TTL_SECONDS },
    scryptCost: env.SCRYPT_COST,
  });
  return {
    accounts,
    agencies: new AgenciesService(dataSource, campaigns, matching),
    activity: new ActivityService(dataSource),
    campaigns,
    claims: new ClaimsService(dataSource, matching, webhooks, env.CLAIM_CONCURRENCY),
    claimsLedger: new ClaimsLedger(dataSource),
    matching,
    influencers,
    notifications,
    email: new EmailService(dataSource, queues, notifications, mailer, env.JWT_SECRET, {
      appUrl: env.APP_URL,
      apiPublicUrl: env.API_PUBLIC_URL,
      lookbackHours: env.EMAIL_LOOKBACK_HOURS,
      instanceId,
    }),
    operations: new OperationsService(dataSource, queues),
    privacy: new PrivacyService(dataSource, accounts, matching),
    consent: new ConsentService(dataSource, matching),
    dataExport: new DataExportService(dataSource),
    scoring: new ScoringService(dataSource, queues, {
      databaseUrl: env.DATABASE_URL,
      historyDays: env.SCORE_HISTORY_DAYS,
      instanceId,
      progressIntervalMs: env.SCORE_RUN_PROGRESS_MS,
    }),
    topics,
    webhooks,
  };
}
