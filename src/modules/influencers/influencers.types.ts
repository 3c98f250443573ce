import { IsDate, IsInt, IsISO31661Alpha2, IsOptional, Matches, Max, MaxDate, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsLanguageCode } from '../../core/language-code';
import { Network } from './network';

@InputType({ description: 'An account on a network with its current snapshot; connecting it again updates the snapshot' })
export class ConnectSocialAccountInput {
  @Field(() => Network)
  network: Network;

  @Field(() => String, { description: 'The handle, with or without a leading "@"; matched case-insensitively' })
  @Matches(/^@?[A-Za-z0-9_.-]{1,64}$/, { message: 'handle must be 1-64 letters, digits, ".", "-" or "_", optionally after "@"' })
  handle: string;

  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'followers must be 0 or more' })
  @Max(2_000_000_000, { message: 'followers must be at most 2,000,000,000' })
  followers: number;

  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'following must be 0 or more' })
  @Max(2_000_000_000, { message: 'following must be at most 2,000,000,000' })
  following: number;

  @Field(() => Date)
  @IsDate({ message: 'accountCreatedAt must be a date-time' })
  @MaxDate(() => new Date(), { message: 'accountCreatedAt must not be in the future' })
  accountCreatedAt: Date;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  verified?: boolean;
}

@InputType({ description: 'Your profile fields to change; omitted fields stay as they are, null clears country or language' })
export class UpdateMyProfileInput {
  @Field(() => String, { nullable: true, description: 'The name brands see' })
  @IsOptional()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(100, { message: 'displayName must be at most 100 characters' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, e.g. "FR" (any case; stored upper case)' })
  @IsOptional()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code, like FR or US' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 639-1 language code, e.g. "fr" (any case; stored lower case)' })
  @IsOptional()
  @IsLanguageCode({ message: 'language must be an ISO 639-1 code, like fr or en' })
  language?: string | null;
}

@ObjectType({ description: 'An account link removed by disconnectSocialAccount' })
export class DisconnectedSocialAccount {
  @Field(() => ID)
  id: string;

  @Field(() => Network)
  network: Network;

  @Field(() => String)
  handle: string;

  @Field(() => Boolean, {
    description: 'Whether it was proven yours: the proof is gone with the link, and connecting the account again means proving it again',
  })
  wasVerified: boolean;

  @Field(() => Date)
  disconnectedAt: Date;
}
