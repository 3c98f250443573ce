import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsDate,
  IsInt,
  IsNumber,
  IsISO31661Alpha2,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { InputText } from '../../core/input-text';
import { IsLanguageCode } from '../../core/language-code';
import { Network } from '../influencers/network';
import { Campaign, CampaignStatus, PerkKind } from './campaign.entity';
import { ConditionCode } from './targeting';

registerEnumType(ConditionCode, { name: 'TargetingConditionCode', description: 'The targeting conditions a campaign can combine' });

const SCORE_MESSAGE = (name: string) => ({ message: `${name} must be between 1 and 100` });

@InputType({ description: 'Topics to target: an influencer qualifies with a topic score on any of them' })
export class TopicTargetingInput {
  @Field(() => [String], { description: 'Topic slugs, as listed by `topics` (e.g. "tech-ai")' })
  @ArrayNotEmpty({ message: 'topics.slugs must name at least one topic' })
  @ArrayMaxSize(20, { message: 'topics.slugs may name at most 20 topics' })
  slugs: string[];

  @Field(() => Int, { nullable: true, description: 'Minimum topic score (1-100) on at least one of the topics' })
  @IsOptional()
  @IsInt()
  @Min(1, SCORE_MESSAGE('topics.minTopicScore'))
  @Max(100, SCORE_MESSAGE('topics.minTopicScore'))
  minTopicScore?: number;
}

@InputType({ description: 'Who a campaign targets; every condition given must hold (AND). Omitted conditions do not filter.' })
export class TargetingInput {
  @Field(() => Int, { nullable: true, description: 'Minimum influence score, 1-100' })
  @IsOptional()
  @IsInt()
  @Min(1, SCORE_MESSAGE('minScore'))
  @Max(100, SCORE_MESSAGE('minScore'))
  minScore?: number;

  @Field(() => TopicTargetingInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  topics?: TopicTargetingInput;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 country codes, e.g. ["FR", "DE"]' })
  @IsOptional()
  @ArrayNotEmpty({ message: 'countries, when given, must name at least one country' })
  @ArrayMaxSize(250, { message: 'countries may name at most 250 countries' })
  @IsISO31661Alpha2({ each: true, message: 'countries must be ISO 3166-1 alpha-2 codes, like FR or US' })
  countries?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'ISO 639-1 language codes, e.g. ["fr", "de"]: the language on the influencer\'s profile is one of them',
  })
  @IsOptional()
  @ArrayNotEmpty({ message: 'languages, when given, must name at least one language' })
  @ArrayMaxSize(200, { message: 'languages may name at most 200 languages' })
  @IsLanguageCode({ each: true, message: 'languages must be ISO 639-1 codes, like fr or en' })
  languages?: string[];

  @Field(() => [Network], { nullable: true, description: 'A connected account on any of these networks' })
  @IsOptional()
  @ArrayNotEmpty({ message: 'networks, when given, must name at least one network' })
  networks?: Network[];

  @Field(() => Int, { nullable: true, description: 'Minimum reach component, 1-100' })
  @IsOptional()
  @IsInt()
  @Min(1, SCORE_MESSAGE('minReach'))
  @Max(100, SCORE_MESSAGE('minReach'))
  minReach?: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Minimum audience quality, 0-1: the credible share of the engagement (e.g. 0.6 for 60%)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'minAudienceQuality must be a number between 0 and 1' })
  @Min(0, { message: 'minAudienceQuality must be between 0 and 1 (a share, e.g. 0.6 for 60%)' })
  @Max(1, { message: 'minAudienceQuality must be between 0 and 1 (a share, e.g. 0.6 for 60%)' })
  minAudienceQuality?: number;

  @Field(() => [ID], { nullable: true, description: 'Influencers never to target' })
  @IsOptional()
  @ArrayMaxSize(1000, { message: 'excludedInfluencerIds may list at most 1,000 influencers' })
  @IsUUID('all', { each: true, message: 'excludedInfluencerIds must be influencer ids' })
  excludedInfluencerIds?: string[];
}

@ObjectType({ description: 'A topic condition as stored' })
export class TopicTargeting {
  @Field(() => [String])
  slugs: string[];

  @Field(() => Int, { nullable: true })
  minTopicScore: number | null;
}

@ObjectType('Targeting', { description: 'Who a campaign targets (every condition shown must hold)' })
export class TargetingView {
  @Field(() => Int, { nullable: true })
  minScore: number | null;

  @Field(() => TopicTargeting, { nullable: true })
  topics: TopicTargeting | null;

  @Field(() => [String], { nullable: true })
  countries: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1, lower case' })
  languages: string[] | null;

  @Field(() => [Network], { nullable: true })
  networks: Network[] | null;

  @Field(() => Int, { nullable: true })
  minReach: number | null;

  @Field(() => Float, { nullable: true })
  minAudienceQuality: number | null;

  @Field(() => [ID], { nullable: true })
  excludedInfluencerIds: string[] | null;

  @Field(() => [ConditionCode], { description: 'The conditions in force, in the order they are checked' })
  conditions: ConditionCode[];
}

/** explainTargeting's FailedCondition as GraphQL: eligibility and a refused claim both list these. */
@ObjectType({ description: 'A targeting condition the influencer fails' })
export class EligibilityReason {
  @Field(() => String, { description: 'The condition code (TargetingConditionCode), or SCORED when there is no score yet' })
  condition: string;

  @Field(() => String)
  message: string;
}

@InputType()
export class PerkInput {
  @Field(() => String)
  @Matches(/\S/, { message: 'perk.title must not be blank' })
  @MaxLength(120, { message: 'perk.title must be at most 120 characters' })
  title: string;

  @Field(() => String, { defaultValue: '' })
  @InputText('free')
  @MaxLength(4000, { message: 'perk.description must be at most 4,000 characters' })
  description: string;

  @Field(() => PerkKind)
  kind: PerkKind;

  @Field(() => Int, { description: 'Value of one unit in minor units (cents)' })
  @IsInt()
  @Min(0, { message: 'perk.valueCents must be 0 or more' })
  @Max(100_000_000, { message: 'perk.valueCents must be at most 100,000,000' })
  valueCents: number;

  @Field(() => String, { description: 'ISO 4217 code, e.g. "EUR"' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'perk.currency must be an ISO 4217 code, like EUR or USD' })
  currency: string;
}

const MAX_INVENTORY = 10_000_000;
const MAX_OFFER_LIFETIME_HOURS = 24 * 90;

@InputType()
export class CreateCampaignInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The brand the campaign is for: required for agencies and for people in several brands',
  })
  @IsOptional()
  brandId?: string;

  @Field(() => String)
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name: string;

  @Field(() => PerkInput)
  @ValidateNested()
  perk: PerkInput;

  @Field(() => Int, { description: 'Units of the perk on offer' })
  @IsInt()
  @Min(1, { message: 'inventory must be at least 1' })
  @Max(MAX_INVENTORY, { message: `inventory must be at most ${MAX_INVENTORY.toLocaleString('en')}` })
  inventory: number;

  @Field(() => TargetingInput, { nullable: true, defaultValue: {} })
  @ValidateNested()
  targeting: TargetingInput;

  @Field(() => Date, { nullable: true, description: 'Default: now' })
  @IsOptional()
  @IsDate({ message: 'startsAt must be a date-time' })
  startsAt?: Date;

  @Field(() => Date)
  @IsDate({ message: 'endsAt must be a date-time' })
  endsAt: Date;

  @Field(() => Int, { defaultValue: 72, description: 'How long an offer stays open before it expires (1-2160 hours)' })
  @IsInt()
  @Min(1, { message: 'offerLifetimeHours must be at least 1' })
  @Max(MAX_OFFER_LIFETIME_HOURS, { message: `offerLifetimeHours must be at most ${MAX_OFFER_LIFETIME_HOURS} (90 days)` })
  offerLifetimeHours: number;

  @Field(() => Int, { nullable: true, description: 'Most unclaimed offers open at once (default: twice the inventory)' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'maxOutstandingOffers must be at least 1' })
  @Max(1_000_000, { message: 'maxOutstandingOffers must be at most 1,000,000' })
  maxOutstandingOffers?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "Money the campaign may spend, in minor units of the perk's currency (cents): each claim spends the perk's value. Omitted or null: no budget.",
  })
  @IsOptional()
  @IsInt({ message: 'budget must be a whole number of minor units (cents)' })
  @Min(0, { message: 'budget must be 0 or more (minor units, e.g. 50000 for 500.00)' })
  budget?: number | null;
}

@InputType({ description: 'Fields to change; omitted fields stay as they are. What may change depends on the status.' })
export class UpdateCampaignInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name?: string;

  @Field(() => PerkInput, { nullable: true, description: 'Only while DRAFT' })
  @IsOptional()
  @ValidateNested()
  perk?: PerkInput;

  @Field(() => Int, { nullable: true, description: 'May grow at any time before the end; may shrink down to the units already claimed' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'inventory must be at least 1' })
  @Max(MAX_INVENTORY, { message: `inventory must be at most ${MAX_INVENTORY.toLocaleString('en')}` })
  inventory?: number;

  @Field(() => TargetingInput, { nullable: true, description: 'Replaces the whole targeting; only while DRAFT or PAUSED' })
  @IsOptional()
  @ValidateNested()
  targeting?: TargetingInput;

  @Field(() => Date, { nullable: true, description: 'Only while DRAFT' })
  @IsOptional()
  @IsDate({ message: 'startsAt must be a date-time' })
  startsAt?: Date;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate({ message: 'endsAt must be a date-time' })
  endsAt?: Date;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'offerLifetimeHours must be at least 1' })
  @Max(MAX_OFFER_LIFETIME_HOURS, { message: `offerLifetimeHours must be at most ${MAX_OFFER_LIFETIME_HOURS} (90 days)` })
  offerLifetimeHours?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'maxOutstandingOffers must be at least 1' })
  @Max(1_000_000, { message: 'maxOutstandingOffers must be at most 1,000,000' })
  maxOutstandingOffers?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "Money the campaign may spend, in minor units of the perk's currency (cents): each claim spends the perk's value. Null removes the budget; omitted leaves it. May not go below what is already spent.",
  })
  @IsOptional()
  @IsInt({ message: 'budget must be a whole number of minor units (cents)' })
  @Min(0, { message: 'budget must be 0 or more (minor units, e.g. 50000 for 500.00)' })
  budget?: number | null;
}

@ObjectType()
export class CampaignConnection extends Connection(Campaign) {}

@ArgsType()
export class CampaignsArgs extends PageArgs {
  @Field(() => CampaignStatus, { nullable: true })
  status?: CampaignStatus;

  @Field(() => ID, { nullable: true, description: 'Only this brand' })
  brandId?: string;
}
