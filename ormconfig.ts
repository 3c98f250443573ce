import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { env } from './src/core/env';
import { postgresOptions } from './src/core/database';
import { AgencyClient } from './src/modules/accounts/agency-client.entity';
import { ApiKey } from './src/modules/accounts/api-key.entity';
import { Membership } from './src/modules/accounts/membership.entity';
import { Organization } from './src/modules/accounts/organization.entity';
import { User } from './src/modules/accounts/user.entity';
import { Campaign } from './src/modules/campaigns/campaign.entity';
import { Claim, ClaimRequest } from './src/modules/claims/claim.entity';
import { Offer } from './src/modules/matching/offer.entity';
import { AccountSnapshot } from './src/modules/activity/account-snapshot.entity';
import { Actor } from './src/modules/activity/actor.entity';
import { ScoreRun } from './src/modules/scoring/score-run.entity';
import { Influencer } from './src/modules/influencers/influencer.entity';
import { SocialAccount } from './src/modules/influencers/social-account.entity';
import { Topic } from './src/modules/topics/topic.entity';
import { WebhookEndpoint } from './src/modules/webhooks/webhook-endpoint.entity';
import { migrations } from './migrations';

export const entities = [
  User,
  Organization,
  Membership,
  AgencyClient,
  ApiKey,
  Influencer,
  SocialAccount,
  Topic,
  Actor,
  AccountSnapshot,
  ScoreRun,
  Campaign,
  Offer,
  Claim,
  ClaimRequest,
  WebhookEndpoint,
];

/** The one DataSource definition: the app, the worker, the TypeORM CLI and the tests all build it here. */
export function createDataSource(url = env().DATABASE_URL, poolSize = env().DATABASE_POOL_SIZE): DataSource {
  return new DataSource({ ...postgresOptions(url, poolSize), entities, migrations });
}

// The TypeORM CLI (`-d ormconfig.ts`) requires a module that exports exactly one DataSource.
export default createDataSource();
