import { IsDate, IsInt, IsOptional, Matches, Max, MaxDate, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
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
