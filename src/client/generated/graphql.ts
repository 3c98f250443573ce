/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

export type ApiKeyScope =
  /** Manage the organisation's campaigns */
  | 'CAMPAIGNS'
  /** Push social activity (connectors; issued by an admin) */
  | 'INGEST'
  /** Redeem claim codes for the brand */
  | 'REDEEM'
  /** Search eligible influencers for the organisation */
  | 'SEARCH';

/** DRAFT -> ACTIVE <-> PAUSED -> ENDED; SOLD_OUT while no unit is left */
export type CampaignStatus =
  | 'ACTIVE'
  | 'DRAFT'
  | 'ENDED'
  | 'PAUSED'
  | 'SOLD_OUT';

/** ACTIVE holds a unit until REDEEMED; CANCELLED returns it */
export type ClaimStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'REDEEMED';

/** An account on a network with its current snapshot; connecting it again updates the snapshot */
export type ConnectSocialAccountInput = {
  accountCreatedAt: Scalars['DateTimeISO']['input'];
  followers: Scalars['Int']['input'];
  following: Scalars['Int']['input'];
  /** The handle, with or without a leading "@"; matched case-insensitively */
  handle: Scalars['String']['input'];
  network: Network;
  verified?: InputMaybe<Scalars['Boolean']['input']>;
};

export type CreateApiKeyInput = {
  name: Scalars['String']['input'];
  /** The organisation the key acts for; required only when you belong to several */
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  scopes: Array<ApiKeyScope>;
};

export type CreateCampaignInput = {
  /** The brand the campaign is for: required for agencies and for people in several brands */
  brandId?: InputMaybe<Scalars['ID']['input']>;
  /** Money the campaign may spend, in minor units of the perk's currency (cents): each claim spends the perk's value. Omitted or null: no budget. */
  budget?: InputMaybe<Scalars['Int']['input']>;
  endsAt: Scalars['DateTimeISO']['input'];
  /** Units of the perk on offer */
  inventory: Scalars['Int']['input'];
  /** Most unclaimed offers open at once (default: twice the inventory) */
  maxOutstandingOffers?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  /** How long an offer stays open before it expires (1-2160 hours) */
  offerLifetimeHours?: Scalars['Int']['input'];
  perk: PerkInput;
  /** Default: now */
  startsAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  targeting?: InputMaybe<TargetingInput>;
};

/** A new webhook endpoint of a brand or agency you belong to */
export type CreateWebhookEndpointInput = {
  /** A note for people (what listens there) */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The events to receive */
  events: Array<WebhookEventType>;
  /** The brand or agency the endpoint belongs to */
  organizationId: Scalars['ID']['input'];
  /** Where events are POSTed: https, reachable from the internet */
  url: Scalars['String']['input'];
};

/** Codes of expected business failures */
export type ErrorCode =
  | 'ALREADY_CLAIMED'
  | 'ALREADY_REDEEMED'
  | 'BATCH_TOO_LARGE'
  | 'BUDGET_BELOW_SPENT'
  | 'BUDGET_EXHAUSTED'
  | 'CAMPAIGN_NOT_ACTIVE'
  | 'CLAIM_CANCELLED'
  | 'CLAIM_CAP_REACHED'
  | 'EMAIL_TAKEN'
  | 'ERASURE_BUSY'
  | 'HANDLE_TAKEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_CAMPAIGN_STATE'
  | 'INVALID_CODE'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_RUN_DATE'
  | 'INVALID_SCHEDULE'
  | 'INVALID_WEBHOOK_URL'
  | 'INVENTORY_BELOW_CLAIMED'
  | 'NOT_AN_AGENCY'
  | 'NOT_ELIGIBLE'
  | 'OFFER_DECLINED'
  | 'OFFER_EXPIRED'
  | 'OFFER_NOT_OPEN'
  | 'OFFER_WITHDRAWN'
  | 'OPT_OUT_BUSY'
  | 'RATE_LIMITED'
  | 'SCOPE_NOT_ALLOWED'
  | 'SOLD_OUT'
  | 'UNKNOWN_TOPIC';

/** Highest first; TOPIC_SCORE orders by the score on `topic` (default: the first targeted topic) */
export type InfluencerOrderBy =
  | 'REACH'
  | 'SCORE'
  | 'TOPIC_SCORE';

/** A public profile snapshot of an account as a connector sees it, member or not: the newest observedAt wins, so sending it again changes nothing. Only the figures are kept (no handle, no bio): the bio is read for verification codes and dropped. */
export type IngestAccountInput = {
  /** The profile text, at most 2,000 characters; an influencer proves ownership by putting their verification code in it */
  bio?: InputMaybe<Scalars['String']['input']>;
  /** When the account was created: ISO 8601 date-time with a time zone */
  createdAt: Scalars['String']['input'];
  /** A whole number from 0 to 2,000,000,000 */
  followers: Scalars['Float']['input'];
  /** A whole number from 0 to 2,000,000,000 */
  following: Scalars['Float']['input'];
  handle: Scalars['String']['input'];
  network: Scalars['String']['input'];
  /** When the connector read the profile (default: now); not in the future */
  observedAt?: InputMaybe<Scalars['String']['input']>;
  /** Posts the account has published in all, as its profile counts them: a whole number from 0 to 2,000,000,000 */
  posts: Scalars['Float']['input'];
  /** Whether the network marks the account as verified */
  verified: Scalars['Boolean']['input'];
};

export type IngestActivityInput = {
  accounts?: Array<IngestAccountInput>;
  interactions?: Array<IngestInteractionInput>;
  posts?: Array<IngestPostInput>;
};

/** An action of actorHandle towards targetHandle; idempotent on (network, externalId) */
export type IngestInteractionInput = {
  actorHandle: Scalars['String']['input'];
  externalId: Scalars['String']['input'];
  /** RESHARE, REPLY, MENTION or LIKE */
  kind: Scalars['String']['input'];
  network: Scalars['String']['input'];
  occurredAt: Scalars['String']['input'];
  /** The post acted upon (RESHARE, REPLY, LIKE: the target's post) or the mentioning post (MENTION: the actor's post) */
  postExternalId?: InputMaybe<Scalars['String']['input']>;
  targetHandle: Scalars['String']['input'];
};

export type IngestList =
  | 'ACCOUNTS'
  | 'INTERACTIONS'
  | 'POSTS';

/** A post; idempotent on (network, externalId) */
export type IngestPostInput = {
  authorHandle: Scalars['String']['input'];
  externalId: Scalars['String']['input'];
  /** One of the Network values, e.g. "X" */
  network: Scalars['String']['input'];
  /** ISO 8601 date-time with a time zone, e.g. 2026-11-24T18:00:00Z */
  postedAt: Scalars['String']['input'];
  /** Topic slugs, e.g. ["tech-ai"]; at most 10 */
  topics?: Array<Scalars['String']['input']>;
};

export type LogInInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type Network =
  | 'INSTAGRAM'
  | 'LINKEDIN'
  | 'TIKTOK'
  | 'TWITCH'
  | 'X'
  | 'YOUTUBE';

/** Why an influencer has no open offer of a campaign (the rules the matcher follows) */
export type NoOfferReason =
  | 'ALREADY_OFFERED'
  | 'BUDGET_EXHAUSTED'
  | 'CAMPAIGN_NOT_LIVE'
  | 'CLAIM_CAP_REACHED'
  | 'DECLINED_EARLIER'
  | 'NOT_ELIGIBLE'
  | 'NOT_STARTED'
  | 'NOT_YET_MATCHED'
  | 'OUTSTANDING_OFFERS_AT_CAP'
  | 'SOLD_OUT';

/** OFFER_NEW, OFFER_EXPIRING (within 24 h), OFFER_WITHDRAWN (no longer eligible, or the campaign is over), CLAIM_CANCELLED (by the brand), CLAIM_REDEEMED, SCORE_CHANGED (by 5 points or more since the previous run) */
export type NotificationKind =
  | 'CLAIM_CANCELLED'
  | 'CLAIM_REDEEMED'
  | 'OFFER_EXPIRING'
  | 'OFFER_NEW'
  | 'OFFER_WITHDRAWN'
  | 'SCORE_CHANGED';

export type NotificationPreferenceInput = {
  /** Omitted: unchanged */
  email?: InputMaybe<Scalars['Boolean']['input']>;
  /** Omitted: unchanged */
  inApp?: InputMaybe<Scalars['Boolean']['input']>;
  kind: NotificationKind;
};

/** OFFERED until claimed, declined, expired, or withdrawn (no longer eligible, or the campaign ended) */
export type OfferStatus =
  | 'CLAIMED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'OFFERED'
  | 'WITHDRAWN';

export type OrganizationKind =
  | 'AGENCY'
  | 'BRAND';

export type PerkInput = {
  /** ISO 4217 code, e.g. "EUR" */
  currency: Scalars['String']['input'];
  description?: Scalars['String']['input'];
  kind: PerkKind;
  title: Scalars['String']['input'];
  /** Value of one unit in minor units (cents) */
  valueCents: Scalars['Int']['input'];
};

export type PerkKind =
  | 'ACCESS'
  | 'DISCOUNT'
  | 'EXPERIENCE'
  | 'PRODUCT';

export type RejectionCode =
  | 'BAD_COUNT'
  | 'BAD_DATE'
  | 'BAD_EXTERNAL_ID'
  | 'BAD_HANDLE'
  | 'BIO_TOO_LONG'
  | 'MALFORMED_ITEM'
  | 'POST_AUTHOR_MISMATCH'
  | 'SELF_INTERACTION'
  | 'TOO_MANY_TOPICS'
  | 'UNKNOWN_KIND'
  | 'UNKNOWN_NETWORK'
  | 'UNKNOWN_POST'
  | 'UNKNOWN_TOPIC';

export type Role =
  | 'ADMIN'
  | 'AGENCY'
  | 'BRAND'
  | 'INFLUENCER';

export type ScoreRunPhase =
  | 'COMPUTING'
  | 'DONE'
  | 'LOADING'
  | 'QUEUED'
  | 'SWITCHING'
  | 'WRITING';

export type ScoreRunStatus =
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

export type ScoreRunTrigger =
  | 'ADMIN'
  | 'SCHEDULE';

export type SignUpInput = {
  /** For INFLUENCER: ISO 3166-1 alpha-2 country code, e.g. "FR" */
  country?: InputMaybe<Scalars['String']['input']>;
  email: Scalars['String']['input'];
  /** For INFLUENCER: ISO 639-1 language code, e.g. "fr" */
  language?: InputMaybe<Scalars['String']['input']>;
  /** The person's name */
  name: Scalars['String']['input'];
  /** For BRAND and AGENCY: the organisation to create (defaults to name) */
  organizationName?: InputMaybe<Scalars['String']['input']>;
  /** At least 10 characters */
  password: Scalars['String']['input'];
  role: SignUpRole;
};

export type SignUpRole =
  | 'AGENCY'
  | 'BRAND'
  | 'INFLUENCER';

export type SocialAccountStatus =
  | 'PENDING'
  | 'REVOKED'
  | 'VERIFIED';

/** The targeting conditions a campaign can combine */
export type TargetingConditionCode =
  | 'COUNTRIES'
  | 'EXCLUDED_INFLUENCERS'
  | 'LANGUAGES'
  | 'MIN_AUDIENCE_QUALITY'
  | 'MIN_REACH'
  | 'MIN_SCORE'
  | 'NETWORKS'
  | 'TOPICS';

/** Who a campaign targets; every condition given must hold (AND). Omitted conditions do not filter. */
export type TargetingInput = {
  /** ISO 3166-1 alpha-2 country codes, e.g. ["FR", "DE"] */
  countries?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Influencers never to target */
  excludedInfluencerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** ISO 639-1 language codes, e.g. ["fr", "de"]: the language on the influencer's profile is one of them */
  languages?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Minimum audience quality, 0-1: the credible share of the engagement (e.g. 0.6 for 60%) */
  minAudienceQuality?: InputMaybe<Scalars['Float']['input']>;
  /** Minimum reach component, 1-100 */
  minReach?: InputMaybe<Scalars['Int']['input']>;
  /** Minimum influence score, 1-100 */
  minScore?: InputMaybe<Scalars['Int']['input']>;
  /** A connected account on any of these networks */
  networks?: InputMaybe<Array<Network>>;
  topics?: InputMaybe<TopicTargetingInput>;
};

/** Topics to target: an influencer qualifies with a topic score on any of them */
export type TopicTargetingInput = {
  /** Minimum topic score (1-100) on at least one of the topics */
  minTopicScore?: InputMaybe<Scalars['Int']['input']>;
  /** Topic slugs, as listed by `topics` (e.g. "tech-ai") */
  slugs: Array<Scalars['String']['input']>;
};

/** Settings to change; omitted fields stay as they are */
export type UpdateBrandSettingsInput = {
  /** Most active claims one influencer may hold across the brand's campaigns (1-10,000); null removes the cap. Claims already held stay. */
  maxActiveClaimsPerInfluencer?: InputMaybe<Scalars['Int']['input']>;
};

/** Fields to change; omitted fields stay as they are. What may change depends on the status. */
export type UpdateCampaignInput = {
  /** Money the campaign may spend, in minor units of the perk's currency (cents): each claim spends the perk's value. Null removes the budget; omitted leaves it. May not go below what is already spent. */
  budget?: InputMaybe<Scalars['Int']['input']>;
  endsAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** May grow at any time before the end; may shrink down to the units already claimed */
  inventory?: InputMaybe<Scalars['Int']['input']>;
  maxOutstandingOffers?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  offerLifetimeHours?: InputMaybe<Scalars['Int']['input']>;
  /** Only while DRAFT */
  perk?: InputMaybe<PerkInput>;
  /** Only while DRAFT */
  startsAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Replaces the whole targeting; only while DRAFT or PAUSED */
  targeting?: InputMaybe<TargetingInput>;
};

/** Your profile fields to change; omitted fields stay as they are, null clears country or language */
export type UpdateMyProfileInput = {
  /** ISO 3166-1 alpha-2 country code, e.g. "FR" (any case; stored upper case) */
  country?: InputMaybe<Scalars['String']['input']>;
  /** The name brands see */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** ISO 639-1 language code, e.g. "fr" (any case; stored lower case) */
  language?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a webhook endpoint; omitted fields stay as they are */
export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** false disables the endpoint (its pending deliveries fail); true enables it again (also after an automatic disable) */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<WebhookEventType>>;
  /** true replaces the signing secret (returned once, in the answer); the old one stops working at once */
  rotateSecret?: InputMaybe<Scalars['Boolean']['input']>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type VerificationMethod =
  | 'BIO'
  | 'LEGACY'
  | 'OPERATOR';

/** PENDING: not delivered yet (retries ahead); SUCCEEDED: a 2xx answer; FAILED: given up (retry window over, or endpoint disabled) */
export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

/** DISABLED: switched off by its managers, or after failing every delivery for the retry window (see disabledReason) */
export type WebhookEndpointStatus =
  | 'DISABLED'
  | 'ENABLED';

/** What a webhook tells; receivers see the wire name in `type` (CLAIM_CREATED is "claim.created") */
export type WebhookEventType =
  | 'CAMPAIGN_ENDED'
  | 'CAMPAIGN_SOLD_OUT'
  | 'CLAIM_CANCELLED'
  | 'CLAIM_CREATED'
  | 'CLAIM_REDEEMED'
  | 'OFFER_DECLINED';

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { __typename?: 'Mutation', logIn:
    | { __typename: 'AuthPayload', token: string, expiresAt: string, user: { __typename?: 'User', id: string, role: Role, name: string, organizations: Array<{ __typename?: 'Organization', id: string, kind: OrganizationKind, name: string }>, influencer?: { __typename?: 'Influencer', id: string } | null } }
    | { __typename: 'InvalidCredentialsError', errorCode: ErrorCode, message: string }
   };

export type EligibleInfluencersQueryVariables = Exact<{
  targeting: TargetingInput;
  orderBy: InfluencerOrderBy;
  topic?: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type EligibleInfluencersQuery = { __typename?: 'Query', eligibleInfluencers: { __typename?: 'InfluencerConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'InfluencerEdge', node: { __typename?: 'Influencer', id: string, displayName: string, country?: string | null, score?: number | null, reach?: number | null, audienceQuality?: number | null, topics: Array<{ __typename?: 'TopicScore', score: number, topic: { __typename?: 'Topic', slug: string } }> } }> } };

export type EligibilityQueryVariables = Exact<{
  campaignId: Scalars['ID']['input'];
  influencerId: Scalars['ID']['input'];
}>;


export type EligibilityQuery = { __typename?: 'Query', eligibility: { __typename?: 'Eligibility', eligible: boolean, scoredOn?: string | null, reasons: Array<{ __typename?: 'EligibilityReason', condition: string, message: string }>, offerState: { __typename?: 'OfferState', hasOpenOffer: boolean, reason?: NoOfferReason | null, message?: string | null } } };

export type GrantAgencyMutationVariables = Exact<{
  brandId: Scalars['ID']['input'];
  agencyId: Scalars['ID']['input'];
}>;


export type GrantAgencyMutation = { __typename?: 'Mutation', addAgencyClient:
    | { __typename: 'AgencyClientGrant', createdAt: string, brand: { __typename?: 'Organization', id: string, name: string }, agency: { __typename?: 'Organization', id: string, name: string } }
    | { __typename: 'NotAnAgencyError', errorCode: ErrorCode, message: string }
   };

export type CreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type CreateCampaignMutation = { __typename?: 'Mutation', createCampaign:
    | { __typename: 'Campaign', id: string, name: string, status: CampaignStatus, inventory: number, remaining: number, startsAt: string, endsAt: string, targeting: { __typename?: 'Targeting', conditions: Array<TargetingConditionCode>, minScore?: number | null, countries?: Array<string> | null }, perk: { __typename?: 'Perk', title: string, kind: PerkKind, valueCents: number, currency: string } }
    | { __typename: 'InvalidScheduleError', errorCode: ErrorCode, message: string }
    | { __typename: 'UnknownTopicError', errorCode: ErrorCode, message: string }
   };

export type CampaignSummaryFragment = { __typename?: 'Campaign', id: string, name: string, status: CampaignStatus, inventory: number, remaining: number, startsAt: string, endsAt: string, perk: { __typename?: 'Perk', title: string, kind: PerkKind, valueCents: number, currency: string } };

export type LaunchCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type LaunchCampaignMutation = { __typename?: 'Mutation', launchCampaign:
    | { __typename: 'Campaign', id: string, status: CampaignStatus, launchedAt?: string | null }
    | { __typename: 'InvalidCampaignStateError', errorCode: ErrorCode, message: string }
    | { __typename: 'InvalidScheduleError', errorCode: ErrorCode, message: string }
   };

export type CampaignFunnelQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignFunnelQuery = { __typename?: 'Query', campaign: { __typename?: 'Campaign', id: string, name: string, status: CampaignStatus, remaining: number, budgetSpent: number, stats: { __typename?: 'CampaignStats', offered: number, outstanding: number, claimed: number, redeemed: number, cancelled: number, expired: number, declined: number, withdrawn: number, remaining: number } } };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { __typename?: 'Mutation', createWebhookEndpoint:
    | { __typename: 'InvalidWebhookUrlError', errorCode: ErrorCode, message: string }
    | { __typename: 'WebhookEndpointCreated', secret: string, endpoint: { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<WebhookEventType>, status: WebhookEndpointStatus } }
   };

export type RedeemClaimMutationVariables = Exact<{
  code: Scalars['String']['input'];
}>;


export type RedeemClaimMutation = { __typename?: 'Mutation', redeemClaim:
    | { __typename: 'AlreadyRedeemedError', errorCode: ErrorCode, message: string }
    | { __typename: 'Claim', id: string, status: ClaimStatus, redeemedAt?: string | null }
    | { __typename: 'ClaimCancelledError', errorCode: ErrorCode, message: string }
    | { __typename: 'InvalidCodeError', errorCode: ErrorCode, message: string }
   };

export type ClaimsLedgerQueryVariables = Exact<{
  campaignId: Scalars['ID']['input'];
  status?: InputMaybe<ClaimStatus>;
  first: Scalars['Int']['input'];
}>;


export type ClaimsLedgerQuery = { __typename?: 'Query', campaign: { __typename?: 'Campaign', id: string, name: string, claims: { __typename?: 'ClaimConnection', totalCount: number, edges: Array<{ __typename?: 'ClaimEdge', node: { __typename?: 'Claim', id: string, status: ClaimStatus, claimedAt: string, redeemedAt?: string | null, influencer?: { __typename?: 'ClaimInfluencer', id: string, displayName: string, handles: Array<{ __typename?: 'VerifiedHandle', network: Network, handle: string }> } | null } }> } } };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
}>;


export type WebhookDeliveriesQuery = { __typename?: 'Query', webhookDeliveries: { __typename?: 'WebhookDeliveryConnection', totalCount: number, edges: Array<{ __typename?: 'WebhookDeliveryEdge', node: { __typename?: 'WebhookDelivery', id: string, eventType: WebhookEventType, status: WebhookDeliveryStatus, attempts: number, lastResponseCode?: number | null, lastError?: string | null, deliveredAt?: string | null, nextAttemptAt?: string | null } }> } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteWebhookEndpointMutation = { __typename?: 'Mutation', deleteWebhookEndpoint: boolean };

export type EndCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type EndCampaignMutation = { __typename?: 'Mutation', endCampaign:
    | { __typename: 'Campaign', id: string, status: CampaignStatus, endedAt?: string | null, stats: { __typename?: 'CampaignStats', offered: number, claimed: number, redeemed: number, withdrawn: number } }
    | { __typename: 'InvalidCampaignStateError', errorCode: ErrorCode, message: string }
    | { __typename: 'InvalidScheduleError', errorCode: ErrorCode, message: string }
   };

export type CurrentApiKeyQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentApiKeyQuery = { __typename?: 'Query', currentApiKey?: { __typename?: 'ApiKey', id: string, name: string, prefix: string, scopes: Array<ApiKeyScope> } | null };

export type IngestActivityMutationVariables = Exact<{
  input: IngestActivityInput;
}>;


export type IngestActivityMutation = { __typename?: 'Mutation', ingestActivity:
    | { __typename: 'BatchTooLargeError', errorCode: ErrorCode, message: string }
    | { __typename: 'IngestReport', accepted: number, duplicates: number, rejected: number, lists: Array<{ __typename?: 'IngestListCounts', list: IngestList, accepted: number, duplicates: number, rejected: number }>, rejections: Array<{ __typename?: 'IngestRejection', list: IngestList, index: number, externalId?: string | null, code: RejectionCode, reason: string }> }
   };

export type MeAndScoreQueryVariables = Exact<{ [key: string]: never; }>;


export type MeAndScoreQuery = { __typename?: 'Query', me?: { __typename?: 'User', id: string, name: string, influencer?: { __typename?: 'Influencer', id: string, displayName: string, score?: number | null, reach?: number | null, amplification?: number | null, authority?: number | null, audienceQuality?: number | null, scoredOn?: string | null, topics: Array<{ __typename?: 'TopicScore', score: number, topic: { __typename?: 'Topic', slug: string } }>, scoreExplanation?: { __typename?: 'ScoreExplanation', summary: Array<string>, delta?: { __typename?: 'ScoreDelta', score: number, previousRunDate: string } | null } | null } | null } | null };

export type MyOffersQueryVariables = Exact<{
  status?: InputMaybe<OfferStatus>;
  first: Scalars['Int']['input'];
}>;


export type MyOffersQuery = { __typename?: 'Query', myOffers: { __typename?: 'OfferConnection', totalCount: number, edges: Array<{ __typename?: 'OfferEdge', node: { __typename?: 'Offer', id: string, campaignId: string, campaignName: string, status: OfferStatus, expiresAt: string, perk: { __typename?: 'Perk', title: string, kind: PerkKind, valueCents: number, currency: string } } }> } };

export type ClaimOfferMutationVariables = Exact<{
  offerId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type ClaimOfferMutation = { __typename?: 'Mutation', claimOffer:
    | { __typename: 'AlreadyClaimedError', errorCode: ErrorCode, message: string }
    | { __typename: 'BudgetExhaustedError', errorCode: ErrorCode, message: string }
    | { __typename: 'CampaignNotActiveError', errorCode: ErrorCode, message: string }
    | { __typename: 'Claim', id: string, code?: string | null, status: ClaimStatus, claimedAt: string }
    | { __typename: 'ClaimCapReachedError', errorCode: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReusedError', errorCode: ErrorCode, message: string }
    | { __typename: 'NotEligibleError', errorCode: ErrorCode, message: string, reasons: Array<{ __typename?: 'EligibilityReason', condition: string, message: string }> }
    | { __typename: 'OfferDeclinedError', errorCode: ErrorCode, message: string }
    | { __typename: 'OfferExpiredError', errorCode: ErrorCode, message: string }
    | { __typename: 'OfferWithdrawnError', errorCode: ErrorCode, message: string }
    | { __typename: 'SoldOutError', errorCode: ErrorCode, message: string }
   };

export type MyClaimsQueryVariables = Exact<{
  status?: InputMaybe<ClaimStatus>;
  first: Scalars['Int']['input'];
}>;


export type MyClaimsQuery = { __typename?: 'Query', myClaims: { __typename?: 'ClaimConnection', totalCount: number, edges: Array<{ __typename?: 'ClaimEdge', node: { __typename?: 'Claim', id: string, status: ClaimStatus, code?: string | null, claimedAt: string, redeemedAt?: string | null, offer?: { __typename?: 'Offer', campaignName: string, perk: { __typename?: 'Perk', title: string } } | null } }> } };

export type NotificationsQueryVariables = Exact<{
  unreadOnly: Scalars['Boolean']['input'];
  first: Scalars['Int']['input'];
}>;


export type NotificationsQuery = { __typename?: 'Query', unreadNotificationCount: number, notifications: { __typename?: 'NotificationConnection', totalCount: number, edges: Array<{ __typename?: 'NotificationEdge', node: { __typename?: 'Notification', id: string, kind: NotificationKind, message: string, createdAt: string, readAt?: string | null, campaignName?: string | null } }> } };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type MarkNotificationsReadMutation = { __typename?: 'Mutation', markNotificationsRead: { __typename?: 'MarkNotificationsReadPayload', marked: number, unreadCount: number } };

export type NotificationPreferencesQueryVariables = Exact<{ [key: string]: never; }>;


export type NotificationPreferencesQuery = { __typename?: 'Query', notificationPreferences: Array<{ __typename?: 'NotificationPreference', kind: NotificationKind, inApp: boolean, email: boolean }> };

export type UpdateNotificationPreferencesMutationVariables = Exact<{
  input: Array<NotificationPreferenceInput> | NotificationPreferenceInput;
}>;


export type UpdateNotificationPreferencesMutation = { __typename?: 'Mutation', updateNotificationPreferences: Array<{ __typename?: 'NotificationPreference', kind: NotificationKind, inApp: boolean, email: boolean }> };

export type ExportMyDataQueryVariables = Exact<{ [key: string]: never; }>;


export type ExportMyDataQuery = { __typename?: 'Query', exportMyData: Record<string, unknown> };

export type CreateConnectorKeyMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type CreateConnectorKeyMutation = { __typename?: 'Mutation', createApiKey:
    | { __typename: 'CreatedApiKey', key: string, apiKey: { __typename?: 'ApiKey', id: string, name: string, prefix: string, scopes: Array<ApiKeyScope> } }
    | { __typename: 'ScopeNotAllowedError', errorCode: ErrorCode, message: string }
   };

export type ScoreRunsQueryVariables = Exact<{
  first: Scalars['Int']['input'];
}>;


export type ScoreRunsQuery = { __typename?: 'Query', scoreRuns: { __typename?: 'ScoreRunConnection', totalCount: number, edges: Array<{ __typename?: 'ScoreRunEdge', node: { __typename?: 'ScoreRun', id: string, runDate: string, status: ScoreRunStatus, phase: ScoreRunPhase, progress: number, isCurrent: boolean, modelVersion?: number | null, startedAt?: string | null, finishedAt?: string | null } }> } };

export type ScoreRunFieldsFragment = { __typename?: 'ScoreRun', id: string, runDate: string, status: ScoreRunStatus, phase: ScoreRunPhase, progress: number, isCurrent: boolean, modelVersion?: number | null, startedAt?: string | null, finishedAt?: string | null };

export type RequestScoreRunMutationVariables = Exact<{
  date?: InputMaybe<Scalars['String']['input']>;
}>;


export type RequestScoreRunMutation = { __typename?: 'Mutation', recomputeScores:
    | { __typename: 'InvalidRunDateError', errorCode: ErrorCode, message: string }
    | { __typename: 'ScoreRun', id: string, runDate: string, status: ScoreRunStatus, phase: ScoreRunPhase, progress: number }
   };

export type FollowScoreRunQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type FollowScoreRunQuery = { __typename?: 'Query', scoreRun?: { __typename?: 'ScoreRun', id: string, runDate: string, status: ScoreRunStatus, phase: ScoreRunPhase, progress: number, isCurrent: boolean, error?: string | null, startedAt?: string | null, finishedAt?: string | null, stats: { __typename?: 'ScoreRunStats', influencers?: number | null, interactions?: number | null, totalSeconds?: number | null } } | null };

export type RevokeConnectorKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeConnectorKeyMutation = { __typename?: 'Mutation', revokeApiKey: { __typename?: 'ApiKey', id: string, name: string, revokedAt?: string | null } };

export const CampaignSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CampaignSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inventory"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"perk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"valueCents"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CampaignSummaryFragment, unknown>;
export const ScoreRunFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScoreRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScoreRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"runDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isCurrent"}},{"kind":"Field","name":{"kind":"Name","value":"modelVersion"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<ScoreRunFieldsFragment, unknown>;
export const LogInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LogIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LogInInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuthPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"organizations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"influencer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LogInMutation, LogInMutationVariables>;
export const EligibleInfluencersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EligibleInfluencers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"targeting"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TargetingInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InfluencerOrderBy"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"topic"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eligibleInfluencers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"targeting"},"value":{"kind":"Variable","name":{"kind":"Name","value":"targeting"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"topic"},"value":{"kind":"Variable","name":{"kind":"Name","value":"topic"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"reach"}},{"kind":"Field","name":{"kind":"Name","value":"audienceQuality"}},{"kind":"Field","name":{"kind":"Name","value":"topics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<EligibleInfluencersQuery, EligibleInfluencersQueryVariables>;
export const EligibilityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Eligibility"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"influencerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eligibility"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"Argument","name":{"kind":"Name","value":"influencerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"influencerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eligible"}},{"kind":"Field","name":{"kind":"Name","value":"scoredOn"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offerState"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasOpenOffer"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<EligibilityQuery, EligibilityQueryVariables>;
export const GrantAgencyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"GrantAgency"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"brandId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addAgencyClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"brandId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"brandId"}}},{"kind":"Argument","name":{"kind":"Name","value":"agencyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgencyClientGrant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"brand"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<GrantAgencyMutation, GrantAgencyMutationVariables>;
export const CreateCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCampaignInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CampaignSummary"}},{"kind":"Field","name":{"kind":"Name","value":"targeting"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conditions"}},{"kind":"Field","name":{"kind":"Name","value":"minScore"}},{"kind":"Field","name":{"kind":"Name","value":"countries"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CampaignSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inventory"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"perk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"valueCents"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CreateCampaignMutation, CreateCampaignMutationVariables>;
export const LaunchCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LaunchCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"launchCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"launchedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LaunchCampaignMutation, LaunchCampaignMutationVariables>;
export const CampaignFunnelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CampaignFunnel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"budgetSpent"}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offered"}},{"kind":"Field","name":{"kind":"Name","value":"outstanding"}},{"kind":"Field","name":{"kind":"Name","value":"claimed"}},{"kind":"Field","name":{"kind":"Name","value":"redeemed"}},{"kind":"Field","name":{"kind":"Name","value":"cancelled"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"declined"}},{"kind":"Field","name":{"kind":"Name","value":"withdrawn"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}}]}}]} as unknown as DocumentNode<CampaignFunnelQuery, CampaignFunnelQueryVariables>;
export const CreateWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookEndpointInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpointCreated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const RedeemClaimDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeemClaim"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemClaim"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Claim"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"redeemedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RedeemClaimMutation, RedeemClaimMutationVariables>;
export const ClaimsLedgerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClaimsLedger"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ClaimStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"claims"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"claimedAt"}},{"kind":"Field","name":{"kind":"Name","value":"redeemedAt"}},{"kind":"Field","name":{"kind":"Name","value":"influencer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"handles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"network"}},{"kind":"Field","name":{"kind":"Name","value":"handle"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClaimsLedgerQuery, ClaimsLedgerQueryVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastResponseCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const DeleteWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const EndCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EndCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offered"}},{"kind":"Field","name":{"kind":"Name","value":"claimed"}},{"kind":"Field","name":{"kind":"Name","value":"redeemed"}},{"kind":"Field","name":{"kind":"Name","value":"withdrawn"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<EndCampaignMutation, EndCampaignMutationVariables>;
export const CurrentApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentApiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentApiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}}]}}]}}]} as unknown as DocumentNode<CurrentApiKeyQuery, CurrentApiKeyQueryVariables>;
export const IngestActivityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IngestActivity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IngestActivityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ingestActivity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IngestReport"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"rejected"}},{"kind":"Field","name":{"kind":"Name","value":"lists"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"list"}},{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"rejected"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rejections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"list"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<IngestActivityMutation, IngestActivityMutationVariables>;
export const MeAndScoreDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MeAndScore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"influencer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"reach"}},{"kind":"Field","name":{"kind":"Name","value":"amplification"}},{"kind":"Field","name":{"kind":"Name","value":"authority"}},{"kind":"Field","name":{"kind":"Name","value":"audienceQuality"}},{"kind":"Field","name":{"kind":"Name","value":"scoredOn"}},{"kind":"Field","name":{"kind":"Name","value":"topics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scoreExplanation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"delta"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"previousRunDate"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeAndScoreQuery, MeAndScoreQueryVariables>;
export const MyOffersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyOffers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OfferStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myOffers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"perk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"valueCents"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyOffersQuery, MyOffersQueryVariables>;
export const ClaimOfferDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ClaimOffer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"claimOffer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"offerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Claim"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"claimedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotEligibleError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"condition"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ClaimOfferMutation, ClaimOfferMutationVariables>;
export const MyClaimsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyClaims"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ClaimStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myClaims"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"claimedAt"}},{"kind":"Field","name":{"kind":"Name","value":"redeemedAt"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignName"}},{"kind":"Field","name":{"kind":"Name","value":"perk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyClaimsQuery, MyClaimsQueryVariables>;
export const NotificationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Notifications"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unreadNotificationCount"}},{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"unreadOnly"},"value":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"campaignName"}}]}}]}}]}}]}}]} as unknown as DocumentNode<NotificationsQuery, NotificationsQueryVariables>;
export const MarkNotificationsReadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNotificationsRead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markNotificationsRead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"marked"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}}]}}]}}]} as unknown as DocumentNode<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const NotificationPreferencesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NotificationPreferences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notificationPreferences"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"inApp"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<NotificationPreferencesQuery, NotificationPreferencesQueryVariables>;
export const UpdateNotificationPreferencesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateNotificationPreferences"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationPreferenceInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateNotificationPreferences"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"inApp"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<UpdateNotificationPreferencesMutation, UpdateNotificationPreferencesMutationVariables>;
export const ExportMyDataDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportMyData"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportMyData"}}]}}]} as unknown as DocumentNode<ExportMyDataQuery, ExportMyDataQueryVariables>;
export const CreateConnectorKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateConnectorKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"scopes"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"INGEST"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreatedApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"apiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateConnectorKeyMutation, CreateConnectorKeyMutationVariables>;
export const ScoreRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ScoreRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scoreRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScoreRunFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScoreRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScoreRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"runDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isCurrent"}},{"kind":"Field","name":{"kind":"Name","value":"modelVersion"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<ScoreRunsQuery, ScoreRunsQueryVariables>;
export const RequestScoreRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestScoreRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recomputeScores"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScoreRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"runDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RequestScoreRunMutation, RequestScoreRunMutationVariables>;
export const FollowScoreRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FollowScoreRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scoreRun"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"runDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"isCurrent"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"influencers"}},{"kind":"Field","name":{"kind":"Name","value":"interactions"}},{"kind":"Field","name":{"kind":"Name","value":"totalSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<FollowScoreRunQuery, FollowScoreRunQueryVariables>;
export const RevokeConnectorKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeConnectorKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<RevokeConnectorKeyMutation, RevokeConnectorKeyMutationVariables>;