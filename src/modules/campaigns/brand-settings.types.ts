import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { createUnionType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';

const MAX_CLAIM_CAP = 10_000;

@ObjectType({ description: "A brand's policy over all its campaigns" })
export class BrandSettings {
  @Field(() => ID)
  brandId: string;

  @Field(() => Int, {
    nullable: true,
    description: "Most active claims (not redeemed, not cancelled) one influencer may hold across the brand's campaigns; null: no cap",
  })
  maxActiveClaimsPerInfluencer: number | null;
}

@InputType({ description: 'Settings to change; omitted fields stay as they are' })
export class UpdateBrandSettingsInput {
  @Field(() => Int, {
    nullable: true,
    description:
      "Most active claims one influencer may hold across the brand's campaigns (1-10,000); null removes the cap. Claims already held stay.",
  })
  @IsOptional()
  @IsInt({ message: 'maxActiveClaimsPerInfluencer must be a whole number, or null for no cap' })
  @Min(1, { message: 'maxActiveClaimsPerInfluencer must be at least 1 (or null for no cap)' })
  @Max(MAX_CLAIM_CAP, {
    message: `maxActiveClaimsPerInfluencer must be at most ${MAX_CLAIM_CAP.toLocaleString('en')} (or null for no cap)`,
  })
  maxActiveClaimsPerInfluencer?: number | null;
}

export const UpdateBrandSettingsResult = createUnionType({
  name: 'UpdateBrandSettingsResult',
  description: 'The settings as saved (a union, so business failures can join it without breaking clients)',
  types: () => [BrandSettings] as const,
});
